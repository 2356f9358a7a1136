package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.testdata.ReferenceCandles;
import io.candlebeam.testdata.TickGenerator;
import io.candlebeam.transforms.model.Candle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recovery, the point of the Kafka issue: a streaming job on the SparkRunner reading a real Kafka
 * broker is SIGKILLed twice mid-stream and started again with the same flags each time; it must end
 * with exactly the candles of a run that never failed (the generator's independent reference): no
 * tick lost or counted twice in any candle, one file per candle in the JSON output, and one dead
 * letter per malformed record.
 */
class KafkaRecoveryIT {
  private static final String TOPIC = "ticks";
  private static final String CANDLES = "candles";

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void sigkillTwiceAndRestartEndsWithTheReferenceCandles(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      TickGenerator.DataSet data = KafkaTicks.produce(broker, dir, TOPIC);
      List<String> flags = flags(broker, dir);

      // Run 1: killed with SIGKILL once it has read some, but not all, of the records.
      JobProcess run1 = JobProcess.start(dir.resolve("run1.out"), flags);
      run1.await("some records read", 180, () -> run1.recordsRead() > 0);
      run1.sigkill();
      // Run 2: resumes from the checkpoint; killed again while still reading.
      JobProcess run2 = JobProcess.start(dir.resolve("run2.out"), flags);
      run2.await("progress after the first restart", 180,
          () -> run2.recordsRead() > run1.recordsRead());
      long atSecondKill = run2.recordsRead();
      run2.sigkill();
      assertThat("killed mid-stream", atSecondKill < data.lines(), is(true));
      // Run 3: resumes and reads to the end.
      JobProcess run3 = JobProcess.start(dir.resolve("run3.out"), flags);
      finishAndCheck(broker, run3, data, dir.resolve("out"));
    }
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void brokerRestartMidRunIsRecoveredFromWithNothingLost(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      TickGenerator.DataSet data = KafkaTicks.produce(broker, dir, TOPIC);
      JobProcess job = JobProcess.start(dir.resolve("job.out"), flags(broker, dir));
      job.await("some records read", 180, () -> job.recordsRead() > 0);
      // The broker dies mid-run (SIGKILL) and stays away for 15 s: the job keeps running its
      // (empty) micro-batches while the consumer retries, and must not lose or skip anything.
      broker.kill();
      long atBrokerKill = job.recordsRead();
      Thread.sleep(15_000);
      assertThat("the job survives a broker outage", job.isAlive(), is(true));
      assertThat("killed mid-stream", atBrokerKill < data.lines(), is(true));
      broker.restart();
      finishAndCheck(broker, job, data, dir.resolve("out"));
    }
  }

  /**
   * The job reads a live topic with the default flags: it reads the first quarter of the data,
   * runs a few (empty) micro-batches caught up, and is SIGKILLed; the rest is produced while it is
   * down, and the restarted job reads it all. Spark restores each read only from an RDD checkpoint:
   * a read it has no file of is read again from the previous one's offsets, and Spark does not run
   * a finished batch's outputs again. Without the source's read log a read done again, bounded by
   * time, took the new records (the caught-up batches had read nothing), which then reached the
   * candles and no dead-letter file: it failed in 5 runs of 6 (60-164 of 240 dead letters).
   * {@code local[2]} gives the 3 partitions one reader; {@code local[4]} three (a split, and a
   * folder of the read log, each).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"local[2]", "local[4]"})
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void sigkillWhileCaughtUpThenMoreIsProducedWithTheDefaultFlags(String master, @TempDir Path dir)
      throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      broker.createTopic(TOPIC, KafkaTicks.PARTITIONS);
      TickGenerator.DataSet data = TickGenerator.write(dir.resolve("data"),
          new TickGenerator(78, 4, 3, 1_000, 1, 50, LocalDate.parse("2024-05-01")).inTimeOrder());
      long first = split(data, dir.resolve("first"), dir.resolve("rest"), 4);
      KafkaTicks.replay(broker, dir.resolve("first/*.jsonl").toString(), TOPIC);
      List<String> flags = new java.util.ArrayList<>(defaultFlags(broker, dir));
      flags.replaceAll(f -> f.startsWith("--sparkMaster=") ? "--sparkMaster=" + master : f);
      JobProcess run1 = JobProcess.start(dir.resolve("run1.out"), flags);
      run1.await("the first quarter read", 180, () -> run1.recordsRead() >= first);
      run1.await("some micro-batches caught up", 60, stableFor(run1, 3_000));
      run1.sigkill();
      KafkaTicks.assertAReadLogFolderPerReader(dir.resolve("out/checkpoint"), TOPIC, master);
      KafkaTicks.replay(broker, dir.resolve("rest/*.jsonl").toString(), TOPIC);
      JobProcess run2 = JobProcess.start(dir.resolve("run2.out"), flags);
      finishAndCheck(broker, run2, data, dir.resolve("out"));
    }
  }

  /**
   * The default {@code --startingOffsets=latest} and a crash before Spark's first state checkpoint
   * (state is checkpointed every 10 micro-batches): after it Spark builds the reader again from no
   * state and reads the micro-batches since the start again. Without the start logged in the read
   * log that reader started at the topic's end at restart, so the ticks run 1 had read and those
   * produced while it was down were lost. Ticks in the topic before the first start are never
   * read.
   */
  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void sigkillBeforeTheFirstStateCheckpointReadingFromLatest(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      broker.createTopic(TOPIC, KafkaTicks.PARTITIONS);
      TickGenerator.write(dir.resolve("before"),
          new TickGenerator(5, 2, 2, 100, 1, 50, LocalDate.parse("2024-04-01")).inTimeOrder());
      KafkaTicks.replay(broker, dir.resolve("before/ticks/*.jsonl").toString(), TOPIC);
      TickGenerator.DataSet data = TickGenerator.write(dir.resolve("data"),
          new TickGenerator(79, 4, 3, 200, 1, 50, LocalDate.parse("2024-05-01")).inTimeOrder());
      long first = split(data, dir.resolve("first"), dir.resolve("rest"), 2);
      List<String> flags = defaultFlags(broker, dir).stream()
          .filter(f -> !f.startsWith("--startingOffsets=")).toList();
      Path checkpoint = dir.resolve("out/checkpoint");
      JobProcess run1 = JobProcess.start(dir.resolve("run1.out"), flags);
      // The first micro-batch's read has ended: the reader started at the topic's end.
      run1.await("the first read logged", 180,
          () -> KafkaTicks.filesNamed(checkpoint, "0.offsets") > 0);
      KafkaTicks.replay(broker, dir.resolve("first/*.jsonl").toString(), TOPIC);
      run1.await("the first half read", 60, () -> run1.recordsRead() >= first);
      run1.sigkill();
      assertThat("killed before Spark checkpointed any state (else this test misses its case)",
          KafkaTicks.filesNamed(checkpoint, "rdd-"), is(0L));
      KafkaTicks.replay(broker, dir.resolve("rest/*.jsonl").toString(), TOPIC);
      JobProcess run2 = JobProcess.start(dir.resolve("run2.out"), flags);
      finishAndCheck(broker, run2, data, dir.resolve("out"));
    }
  }

  /**
   * The first {@code 1/parts} of each file of {@code data} into {@code first}, the rest into
   * {@code rest}; the lines in {@code first}.
   */
  private static long split(TickGenerator.DataSet data, Path first, Path rest, int parts)
      throws java.io.IOException {
    Files.createDirectories(first);
    Files.createDirectories(rest);
    long n = 0;
    for (int i = 0; i < data.files().size(); i++) {
      List<String> lines = data.files().get(i);
      int cut = lines.size() / parts;
      Files.write(first.resolve(i + ".jsonl"), lines.subList(0, cut));
      Files.write(rest.resolve(i + ".jsonl"), lines.subList(cut, lines.size()));
      n += cut;
    }
    return n;
  }

  /** The README's streaming command with both sinks: every default kept. */
  private static List<String> defaultFlags(KafkaBroker broker, Path dir) {
    return List.of("--source=kafka", "--topics=" + TOPIC,
        "--bootstrapServers=" + broker.bootstrapServers(), "--startingOffsets=earliest",
        "--outputDir=" + dir.resolve("out"), "--sinks=json,kafka", "--outputTopic=" + CANDLES,
        "--sparkMaster=local[2]", "--reportIntervalSeconds=1");
  }

  /** Small micro-batches (150 records) so that the job is mid-stream for many seconds. */
  private static List<String> flags(KafkaBroker broker, Path dir) {
    List<String> flags = new java.util.ArrayList<>(defaultFlags(broker, dir));
    flags.addAll(List.of("--maxRecordsPerBatch=150", "--batchIntervalMillis=1000"));
    return flags;
  }

  /**
   * Lets {@code job} read to the end, closes the last windows, stops it with SIGTERM and checks its
   * output against the reference candles.
   */
  private static void finishAndCheck(KafkaBroker broker, JobProcess job, TickGenerator.DataSet data,
      Path out) throws Exception {
    // Counters are Beam's attempted metrics: restored from a checkpoint that can be ahead of
    // the micro-batches Spark replays, so after a crash they may count a replayed batch twice.
    // "Everything read" is therefore: at least every record, and no growth for 5 batches.
    job.await("every record read", 300, () -> job.recordsRead() >= data.lines());
    job.await("the backlog drained", 120, stableFor(job, 5_000));
    // Close the last day's windows: a tick two days later on every partition moves the
    // watermark (max event time - 1 h) past them.
    long last = data.ticks().stream().mapToLong(ReferenceCandles.GeneratedTick::eventTime).max()
        .orElseThrow();
    KafkaTicks.closeWindows(broker, TOPIC, last + 2 * 86_400_000L);
    Map<String, JsonNode> expected = KafkaTicks.expected(data);
    job.await("an ON_TIME candle for every symbol and day", 180,
        () -> readJson(out.resolve("json")).size() >= expected.size());
    int exit = job.sigterm();
    // A clean stop exits 0. If the runner reports an error on stop (a micro-batch that failed
    // during an outage while the stream carried on), the run must say so loudly and exit 1; the
    // output checks below still hold either way: nothing may be lost.
    if (exit != 0) {
      assertThat("exit code of the graceful stop; output:\n" + job.output(), exit, is(1));
      assertThat(job.fullOutput(), containsString("candlebeam: the run failed:"));
      assertThat(job.fullOutput(), containsString(" stopped] records read "));
    }

    long[] counts = job.lastCounts();
    assertThat("nothing too late: the data is in event-time order per symbol", counts[3], is(0L));
    assertThat("the counts reconcile", counts[0], is(counts[1] + counts[2]));
    assertThat("every record counted", counts[0] >= data.lines() + 3, is(true));
    assertThat("kafka offsets read: exactly the records in the topic", job.offsetsRead(),
        is(data.lines() + 3L));
    List<Candle> candles = ExpectedCandles.readJson(out.resolve("json")); // the job has stopped
    assertThat("one file and one row per candle: " + candles.stream().map(c -> c.symbol() + "@"
        + c.windowStart() + " " + c.paneTiming() + "#" + c.paneIndex()).sorted().toList(),
        candles.size(), is(expected.size()));
    assertThat(candles.stream().filter(c -> !c.paneTiming().equals("ON_TIME")).toList(), empty());
    ExpectedCandles.assertMatches(expected, candles);
    Map<String, Integer> deadLetterLines = linesPerFile(out.resolve("deadletter"));
    assertThat("files not of one dead letter each: " + deadLetterLines.entrySet().stream()
            .filter(e -> e.getValue() != 1 || e.getKey().contains("/.") || e.getKey().startsWith("."))
            .toList(),
        deadLetterLines.values().stream().mapToLong(Integer::longValue).sum(),
        is((long) data.malformed()));
    // Dead letters carry where they came from in Kafka.
    String someDeadLetter = Files.readString(
        ExpectedCandles.files(out.resolve("deadletter"), ".jsonl").get(0));
    assertThat(someDeadLetter, containsString("\"kafka.partition\":"));
    assertThat(someDeadLetter, containsString("\"kafka.offset\":"));
    // The Kafka sink (at least once): the latest record of each key is the final candle.
    ExpectedCandles.assertMatches(expected,
        ExpectedCandles.latestPanes(KafkaTicks.candles(broker, CANDLES, false)));
  }

  /** True once the job's "records read" has not changed for {@code millis}. */
  private static java.util.function.BooleanSupplier stableFor(JobProcess job, long millis) {
    long[] last = {-1, System.currentTimeMillis()};
    return () -> {
      long now = job.recordsRead();
      if (now != last[0]) {
        last[0] = now;
        last[1] = System.currentTimeMillis();
      }
      return System.currentTimeMillis() - last[1] >= millis;
    };
  }

  /**
   * The candles written so far: none while the folder does not exist yet, and none for this poll
   * if a file moved under the walk (the job is writing; the next poll sees it in place).
   */
  private static List<Candle> readJson(Path dir) {
    try {
      return Files.isDirectory(dir) ? ExpectedCandles.readJson(dir) : List.of();
    } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
      return List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Lines of each {@code .jsonl} file under {@code dir} (hidden ones included), by relative path. */
  private static Map<String, Integer> linesPerFile(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      Map<String, Integer> lines = new java.util.TreeMap<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        lines.put(dir.relativize(f).toString(), Files.readAllLines(f).size());
      }
      return lines;
    }
  }


}
