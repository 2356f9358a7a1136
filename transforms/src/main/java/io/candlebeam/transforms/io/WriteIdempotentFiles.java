package io.candlebeam.transforms.io;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes elements to files whose names are a function of their content, so a replayed bundle or
 * micro-batch rewrites the same files instead of adding new ones: idempotent by construction.
 *
 * <p>Within a bundle, elements are grouped by {@code fileKey} (a relative path without extension,
 * such as {@code symbol=BTCUSDT/20240101T000000.000Z_20240102T000000.000Z_pane-000}). The key must
 * identify its rows whatever the bundling (a candle pane, a record's origin): a key that depends on
 * how a runner happened to bundle would duplicate rows when a replay bundles differently. Each file
 * is written to a hidden temporary name
 * and renamed into place (a rename replaces an older file of the same name), so readers never see a
 * partial file. The temporary name does not end with the extension, so a write cut short by a
 * crash (SIGKILL between write and rename) leaves nothing that a {@code *.jsonl} glob would read. Works on any Beam file system, for bounded and unbounded input alike, and needs no
 * shuffle, window or trigger of its own: so it can't inherit an accumulating trigger.
 */
public final class WriteIdempotentFiles<T> extends PTransform<PCollection<T>, PDone> {
  private final String directory;
  private final SerializableFunction<T, String> fileKey;
  private final String extension;
  private final FileIO.Sink<T> sink;
  private final String counterName;

  private WriteIdempotentFiles(String directory, SerializableFunction<T, String> fileKey,
      String extension, FileIO.Sink<T> sink, String counterName) {
    this.directory = directory;
    this.fileKey = fileKey;
    this.extension = extension;
    this.sink = sink;
    this.counterName = counterName;
  }

  /**
   * Writes to {@code directory}/{@code fileKey(element)}{@code extension} with {@code sink}; rows
   * written are counted in the counter {@code <counterName>_rows}.
   */
  public static <T> WriteIdempotentFiles<T> to(String directory, SerializableFunction<T, String>
      fileKey, String extension, FileIO.Sink<T> sink, String counterName) {
    return new WriteIdempotentFiles<>(directory, fileKey, extension, sink, counterName);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    input.apply("WriteFiles", ParDo.of(new WriteFn<>(this)));
    return PDone.in(input.getPipeline());
  }

  private static final class WriteFn<T> extends DoFn<T, Void> {
    private final WriteIdempotentFiles<T> spec;
    private final Counter rows;
    private final Counter files;
    private transient Map<String, List<T>> buffered;

    WriteFn(WriteIdempotentFiles<T> spec) {
      this.spec = spec;
      this.rows = Metrics.counter("candlebeam", spec.counterName + "_rows");
      this.files = Metrics.counter("candlebeam", spec.counterName + "_files");
    }

    @StartBundle
    public void startBundle() {
      buffered = new LinkedHashMap<>();
    }

    @ProcessElement
    public void process(@Element T element) {
      buffered.computeIfAbsent(spec.fileKey.apply(element), k -> new ArrayList<>()).add(element);
    }

    @FinishBundle
    public void finishBundle() throws IOException {
      ResourceId dir = FileSystems.matchNewResource(spec.directory, true);
      for (Map.Entry<String, List<T>> e : buffered.entrySet()) {
        write(dir.resolve(e.getKey() + spec.extension, StandardResolveOptions.RESOLVE_FILE),
            e.getValue());
      }
      buffered = null;
    }

    private void write(ResourceId target, List<T> elements) throws IOException {
      ResourceId temp = target.getCurrentDirectory().resolve(
          ".tmp-" + UUID.randomUUID() + "-" + target.getFilename() + ".inprogress",
          StandardResolveOptions.RESOLVE_FILE);
      FileIO.Sink<T> sink = org.apache.beam.sdk.util.SerializableUtils.clone(spec.sink);
      try (WritableByteChannel channel = FileSystems.create(temp, "application/octet-stream")) {
        sink.open(channel);
        for (T element : elements) {
          sink.write(element);
        }
        sink.flush();
      }
      FileSystems.rename(List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
      rows.inc(elements.size());
      files.inc();
    }
  }
}
