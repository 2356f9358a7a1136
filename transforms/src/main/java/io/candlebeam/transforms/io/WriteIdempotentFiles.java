package io.candlebeam.transforms.io;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.coders.Coder;
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
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes elements to files whose names are a function of their content, so a replayed bundle or
 * micro-batch rewrites the same files instead of adding new ones: idempotent by construction.
 *
 * <p>Within a bundle, elements are grouped by {@code fileKey} (a relative path without extension,
 * such as {@code symbol=BTCUSDT/20240101T000000.000Z_20240102T000000.000Z_pane-000}). With {@link
 * #contentAddressed()}, a digest of the group's encoded elements is appended, for keys that do not
 * identify their rows by themselves (dead letters). Each file is written to a hidden temporary name
 * and renamed into place (a rename replaces an older file of the same name), so readers never see a
 * partial file. Works on any Beam file system, for bounded and unbounded input alike, and needs no
 * shuffle, window or trigger of its own: so it can't inherit an accumulating trigger.
 */
public final class WriteIdempotentFiles<T> extends PTransform<PCollection<T>, PDone> {
  private final String directory;
  private final SerializableFunction<T, String> fileKey;
  private final String extension;
  private final FileIO.Sink<T> sink;
  private final boolean contentAddressed;
  private final String counterName;

  private WriteIdempotentFiles(String directory, SerializableFunction<T, String> fileKey,
      String extension, FileIO.Sink<T> sink, boolean contentAddressed, String counterName) {
    this.directory = directory;
    this.fileKey = fileKey;
    this.extension = extension;
    this.sink = sink;
    this.contentAddressed = contentAddressed;
    this.counterName = counterName;
  }

  /**
   * Writes to {@code directory}/{@code fileKey(element)}{@code extension} with {@code sink}; rows
   * written are counted in the counter {@code <counterName>_rows}.
   */
  public static <T> WriteIdempotentFiles<T> to(String directory, SerializableFunction<T, String>
      fileKey, String extension, FileIO.Sink<T> sink, String counterName) {
    return new WriteIdempotentFiles<>(directory, fileKey, extension, sink, false, counterName);
  }

  /** Appends a digest of the file's rows to each name. */
  public WriteIdempotentFiles<T> contentAddressed() {
    return new WriteIdempotentFiles<>(directory, fileKey, extension, sink, true, counterName);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    input.apply("WriteFiles", ParDo.of(new WriteFn<>(this, input.getCoder())));
    return PDone.in(input.getPipeline());
  }

  private static final class WriteFn<T> extends DoFn<T, Void> {
    private final WriteIdempotentFiles<T> spec;
    private final Coder<T> coder;
    private final Counter rows;
    private final Counter files;
    private transient Map<String, List<T>> buffered;

    WriteFn(WriteIdempotentFiles<T> spec, Coder<T> coder) {
      this.spec = spec;
      this.coder = coder;
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
        String name = e.getKey() + (spec.contentAddressed ? "-" + digest(e.getValue()) : "");
        write(dir.resolve(name + spec.extension, StandardResolveOptions.RESOLVE_FILE), e.getValue());
      }
      buffered = null;
    }

    private void write(ResourceId target, List<T> elements) throws IOException {
      ResourceId temp = target.getCurrentDirectory().resolve(
          ".tmp-" + UUID.randomUUID() + "-" + target.getFilename(), StandardResolveOptions.RESOLVE_FILE);
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

    private String digest(List<T> elements) throws IOException {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (T element : elements) {
          sha.update(CoderUtils.encodeToByteArray(coder, element));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
