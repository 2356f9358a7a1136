package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.ProducerOptions;
import io.candlebeam.transforms.parse.MalformedRecordException;
import io.candlebeam.transforms.parse.TickParser;
import io.candlebeam.transforms.parse.TradeParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code candlebeam.jar produce}: replays tick files into Kafka, line by line and in file order.
 * Key = the tick's symbol (none for a malformed line, which is sent as it is, to reach the job's
 * dead letters), header {@code content-type: application/json}. At a fixed rate, as fast as
 * possible, or keeping the original gaps between event times ({@code --speedup=N}). Prints
 * progress every second and a final count; every send is acknowledged before it ends.
 */
public final class TickProducer {
  private final TickParser parser = new TickParser();

  private TickProducer() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help")) {
      out.println("candlebeam produce: replays tick files into Kafka; its flags");
      out.print(io.candlebeam.pipeline.options.OptionsHelp.render(
          io.candlebeam.pipeline.options.OptionsHelp.flags(ProducerOptions.class)));
      return 0;
    }
    ProducerOptions o;
    double rate;
    try {
      PipelineOptionsFactory.register(ProducerOptions.class);
      o = PipelineOptionsFactory.fromArgs(args).withValidation().as(ProducerOptions.class);
      rate = o.getRate().equals("max") ? 0 : Double.parseDouble(o.getRate());
      if (rate < 0 || o.getSpeedup() < 0) {
        throw new IllegalArgumentException("--rate and --speedup must be >= 0");
      }
    } catch (NumberFormatException e) {
      err.println("candlebeam produce: --rate must be ticks per second or max");
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("candlebeam produce: " + e.getMessage().lines().findFirst().orElse(""));
      return 2;
    }
    try {
      long sent = new TickProducer().produce(o, rate, err);
      out.println("candlebeam produce: sent " + sent + " records to " + o.getTopic());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("candlebeam produce: " + e.getMessage());
      return 2;
    } catch (IOException | ExecutionException e) {
      err.println("candlebeam produce: failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  long produce(ProducerOptions o, double rate, PrintStream progress)
      throws IOException, ExecutionException, InterruptedException {
    List<Path> files = files(o);
    Properties config = new Properties();
    if (o.getKafkaConfigFile() != null) {
      try (Reader r = Files.newBufferedReader(Path.of(o.getKafkaConfigFile()))) {
        config.load(r);
      }
    }
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.getBootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    long sent = 0;
    long start = System.nanoTime();
    long lastReport = start;
    Long firstEventTime = null;
    List<Future<RecordMetadata>> pending = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (Path file : files) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String key = symbolOf(line);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            Long eventTime = TickParser.eventTimeOf(bytes);
            eventTime = eventTime != null ? eventTime : TradeParser.tradeTimeOf(bytes);
            if (o.getSpeedup() > 0 && eventTime != null) {
              firstEventTime = firstEventTime == null ? eventTime : firstEventTime;
              sleepUntil(start + (long) ((eventTime - firstEventTime) * 1e6 / o.getSpeedup()));
            } else if (rate > 0) {
              sleepUntil(start + (long) (sent * 1e9 / rate));
            }
            ProducerRecord<String, String> record = new ProducerRecord<>(o.getTopic(), key, line);
            record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            pending.add(producer.send(record));
            sent++;
            if (pending.size() >= 10_000) {
              awaitAll(pending);
            }
            long now = System.nanoTime();
            if (now - lastReport > TimeUnit.SECONDS.toNanos(1)) {
              progress.printf("candlebeam produce: %d sent (%.0f/s)%n", sent,
                  sent / ((now - start) / 1e9));
              lastReport = now;
            }
          }
        }
      }
      producer.flush();
      awaitAll(pending);
    }
    return sent;
  }

  /** The key: the symbol of a ticker record or of a trade, null for a malformed line. */
  private static final TradeParser TRADES = new TradeParser();

  private String symbolOf(String line) {
    try {
      return parser.parse(line).symbol();
    } catch (MalformedRecordException e) {
      try {
        return TRADES.parse(line).symbol();
      } catch (MalformedRecordException notATrade) {
        return null;
      }
    }
  }

  private static void awaitAll(List<Future<RecordMetadata>> pending)
      throws ExecutionException, InterruptedException {
    for (Future<RecordMetadata> f : pending) {
      f.get();
    }
    pending.clear();
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static List<Path> files(ProducerOptions o) throws IOException {
    String glob = o.getInput() == null ? BundledTestData.extract() : o.getInput();
    MatchResult match = FileSystems.match(glob);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new IllegalArgumentException("--input=" + glob + " matches no file");
    }
    List<Path> files = new ArrayList<>();
    match.metadata().forEach(m -> files.add(Path.of(m.resourceId().toString())));
    files.sort(null);
    return files;
  }
}
