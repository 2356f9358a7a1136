package io.candlebeam.transforms.socket;

import io.candlebeam.transforms.watermark.EventClock;
import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Lines of text from a TCP server (like {@code nc -lk 9999}), unbounded: Spark's socket source.
 * A line's timestamp is its event time when {@code eventTime} finds one (else the time it arrived);
 * the watermark is the max event time seen minus {@code watermarkDelay}.
 *
 * <p>If nothing listens when the job starts, the read fails with a clear error. If the server goes
 * away later, the reader reconnects with backoff (up to 5 s between tries) and carries on. Like
 * Spark's, this source cannot replay: lines in flight when the job dies are lost, so use it for
 * demos and tests, Kafka for production.
 */
public final class SocketSource extends UnboundedSource<RawRecord, UnboundedSource.CheckpointMark> {
  private final String host;
  private final int port;
  private final Duration watermarkDelay;
  private final SerializableFunction<String, Long> eventTime;

  public SocketSource(String host, int port, Duration watermarkDelay,
      SerializableFunction<String, Long> eventTime) {
    this.host = host;
    this.port = port;
    this.watermarkDelay = watermarkDelay;
    this.eventTime = eventTime;
  }

  @Override
  public List<SocketSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this); // one connection
  }

  @Override
  public UnboundedReader<RawRecord> createReader(PipelineOptions options, CheckpointMark mark) {
    return new Reader(this);
  }

  @Override
  public Coder<CheckpointMark> getCheckpointMarkCoder() {
    return NoReplay.CODER;
  }

  @Override
  public Coder<RawRecord> getOutputCoder() {
    return RawRecordCoder.of();
  }

  /** Nothing to remember: a socket cannot be replayed. */
  static final class NoReplay implements CheckpointMark, java.io.Serializable {
    static final Coder<CheckpointMark> CODER = new org.apache.beam.sdk.coders.AtomicCoder<>() {
      @Override
      public void encode(CheckpointMark value, java.io.OutputStream out) {}

      @Override
      public CheckpointMark decode(java.io.InputStream in) {
        return new NoReplay();
      }
    };

    @Override
    public void finalizeCheckpoint() {}
  }

  private static final class Reader extends UnboundedReader<RawRecord> {
    private final Counter read = Metrics.counter("candlebeam", ReadLinesFromFiles.RECORDS_READ);
    private final SocketSource source;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(100_000);
    private volatile boolean closed;
    private Thread receiver;
    private RawRecord current;
    private Instant currentTimestamp;
    private long lineNumber;
    private final EventClock clock;

    Reader(SocketSource source) {
      this.source = source;
      this.clock = new EventClock(source.eventTime, source.watermarkDelay);
    }

    @Override
    public boolean start() throws IOException {
      Socket first = new Socket();
      try {
        first.connect(new InetSocketAddress(source.host, source.port), 5_000);
      } catch (IOException e) {
        first.close();
        throw new IOException("nothing listens on " + source.host + ":" + source.port
            + " (start the server first, e.g. nc -lk " + source.port + "): " + e.getMessage(), e);
      }
      receiver = new Thread(() -> receive(first), "socket-source-" + source.port);
      receiver.setDaemon(true);
      receiver.start();
      return advance();
    }

    private void receive(Socket socket) {
      long backoff = 100;
      while (!closed) {
        try (Socket s = socket != null ? socket : connect();
            BufferedReader in = new BufferedReader(
                new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
          backoff = 100;
          for (String line = in.readLine(); line != null && !closed; line = in.readLine()) {
            lines.put(line);
          }
        } catch (IOException e) {
          // the server went away or is not back yet: retry below
        } catch (InterruptedException e) {
          return;
        }
        socket = null;
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }

    private Socket connect() throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(source.host, source.port), 5_000);
      return s;
    }

    @Override
    public boolean advance() throws IOException {
      String line = lines.poll();
      if (line == null) {
        return false;
      }
      read.inc();
      lineNumber++;
      current = clock.record(
          RawRecord.of(line, "socket:" + source.host + ":" + source.port + "#" + lineNumber));
      currentTimestamp = clock.stamp(line);
      return true;
    }

    @Override
    public RawRecord getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return clock.watermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new NoReplay();
    }

    @Override
    public UnboundedSource<RawRecord, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {
      closed = true;
      if (receiver != null) {
        receiver.interrupt();
      }
    }
  }
}
