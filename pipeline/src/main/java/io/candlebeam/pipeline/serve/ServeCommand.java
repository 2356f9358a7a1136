package io.candlebeam.pipeline.serve;

import io.candlebeam.pipeline.JobConfig;
import io.candlebeam.pipeline.RunReport;
import io.candlebeam.pipeline.options.OptionsHelp;
import io.candlebeam.pipeline.options.ServeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import sun.misc.Signal;

/**
 * {@code serve}: the live candle page and its API for a run's files or the PostgreSQL table, until
 * Ctrl+C or SIGTERM (exit code 0); and the same page inside a streaming job ({@code --serve},
 * {@link #forJob}).
 */
public final class ServeCommand {
  /** The command's flag names for {@link ServeOptions}' properties of other names. */
  public static final Map<String, String> ALIASES = Map.of("host", "serveHost", "port", "servePort");

  private ServeCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help")) {
      out.println("candlebeam serve: the live candle page (http://<host>:<port>/) and its API; "
          + "its flags");
      Map<String, OptionsHelp.Flag> flags = new TreeMap<>(OptionsHelp.flags(ServeOptions.class));
      ALIASES.forEach((alias, property) -> {
        OptionsHelp.Flag f = flags.remove(property);
        flags.put(alias, new OptionsHelp.Flag(alias, f.type(), f.defaultValue(), f.description()));
      });
      out.print(OptionsHelp.render(flags));
      return 0;
    }
    Serving serving;
    try {
      serving = start(args, err);
    } catch (IllegalArgumentException e) {
      err.println("candlebeam serve: " + e.getMessage().lines().findFirst().orElse(""));
      return 2;
    }
    out.println("candlebeam serve: " + serving.url() + " (" + serving.candles().size()
        + " candles now, read again as they are written; Ctrl+C stops)");
    out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    for (String signal : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(signal), s -> stop.countDown());
    }
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    serving.close();
    out.println("candlebeam serve: stopped");
    return 0;
  }

  /** Parses the flags and starts serving; bad flags and a taken port are {@link IllegalArgumentException}s. */
  public static Serving start(String[] args, PrintStream log) {
    PipelineOptionsFactory.register(ServeOptions.class);
    ServeOptions o = PipelineOptionsFactory.fromArgs(unalias(args)).withValidation()
        .as(ServeOptions.class);
    if (o.getRefreshMillis() < 50) {
      throw new IllegalArgumentException("--refreshMillis=" + o.getRefreshMillis()
          + " is too short: give at least 50");
    }
    CandleFeed feed;
    Path report = null;
    if (o.getFrom().equals("jdbc")) {
      feed = new TableFeed(JobConfig.jdbc(o));
    } else {
      Path from = Path.of(o.getFrom());
      if (!Files.isDirectory(from)) {
        throw new IllegalArgumentException("--from=" + from + " is not a folder: give a run's "
            + "output folder, its json/ or parquet/ folder, or jdbc");
      }
      feed = new FileFeed(from);
      report = reportOf(from);
    }
    return open(feed, report, o.getServeHost(), o.getServePort(),
        Duration.ofMillis(o.getRefreshMillis()),
        "--host", "--port", log);
  }

  /**
   * The page of a streaming job ({@code --serve}): its candles as its json/ or parquet/ sink
   * writes them under {@code --outputDir}, else its PostgreSQL table, with its report.
   */
  public static Serving forJob(JobConfig config, PrintStream log) {
    Path dir = Path.of(config.outputDir());
    CandleFeed feed = config.sinks().contains("json") || config.sinks().contains("parquet")
        ? new FileFeed(dir) : new TableFeed(config.jdbc());
    return open(feed, dir.resolve(RunReport.FILE), config.serve().host(), config.serve().port(),
        Duration.ofSeconds(1), "--serveHost", "--servePort", log);
  }

  /** {@code --host=x} as {@code --serveHost=x}, {@code --port=n} as {@code --servePort=n}. */
  static String[] unalias(String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      for (Map.Entry<String, String> a : ALIASES.entrySet()) {
        String flag = "--" + a.getKey();
        if (out[i].equals(flag) || out[i].startsWith(flag + "=")) {
          out[i] = "--" + a.getValue() + out[i].substring(flag.length());
        }
      }
    }
    return out;
  }

  /** A run folder's report: beside its sink folders, so one level up from {@code json/}. */
  static Path reportOf(Path from) {
    String name = from.toAbsolutePath().normalize().getFileName() == null ? ""
        : from.toAbsolutePath().normalize().getFileName().toString();
    return (List.of("json", "parquet", "csv").contains(name) ? from.toAbsolutePath().getParent()
        : from).resolve(RunReport.FILE);
  }

  private static Serving open(CandleFeed feed, Path report, String host, int port,
      Duration refresh, String hostFlag, String portFlag, PrintStream log) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(portFlag + "=" + port + " is not a port: give 1-65535, "
          + "or 0 for any free port");
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(hostFlag + "=" + host + " is not an address of this "
          + "machine: give 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
    }
    try {
      return Serving.start(feed, report, address, refresh, log);
    } catch (java.net.BindException e) {
      throw new IllegalArgumentException("cannot listen on " + host + ":" + port + ": "
          + e.getMessage() + " (give another " + portFlag + ", or 0 for any free port)");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serve: " + e.getMessage());
    }
  }
}
