package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.testdata.TickGenerator;
import io.candlebeam.transforms.kafka.WriteCandlesToKafka;
import io.candlebeam.transforms.model.Candle;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KafkaIO's exactly-once sink on the FlinkRunner ({@code --kafkaExactlyOnce}): a streaming job
 * reads ticks from a real broker and writes update-mode candle panes in Kafka transactions, which
 * Flink's checkpoints commit (the sink's input is stable: it writes what a checkpoint has fixed).
 * Checked: the records arrive through committed transactions (the topic holds transaction markers
 * besides the records, which an at-least-once producer never writes), a read_committed consumer
 * sees every pane once (no symbol, window and pane index twice), and the latest pane of every
 * candle is the reference candle. Not staged here: a failure between a write and its commit.
 */
class KafkaExactlyOnceIT {
  private static final String TOPIC = "ticks";
  private static final String CANDLES = "candles";

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void flinkWritesEachPaneOnceInCommittedTransactions(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      TickGenerator.DataSet data = KafkaTicks.produce(broker, dir, TOPIC);
      Map<String, JsonNode> expected = KafkaTicks.expected(data);
      // Update mode, 30 days of allowed lateness: every tick lands in some pane, however far the
      // three partitions drift apart in event time while they are read.
      JobProcess job = JobProcess.start(dir.resolve("job.out"), List.of("--runner=FlinkRunner",
          "--source=kafka", "--topics=" + TOPIC, "--bootstrapServers=" + broker.bootstrapServers(),
          "--startingOffsets=earliest", "--outputDir=" + dir.resolve("out"), "--sinks=kafka",
          "--kafkaExactlyOnce", "--outputTopic=" + CANDLES, "--outputMode=update",
          "--triggerInterval=1s", "--allowedLateness=30d"));
      job.await("the latest committed pane of every candle is the reference", 240,
          () -> matches(expected, ExpectedCandles.latestPanes(KafkaTicks.candles(broker, CANDLES, true))));
      job.sigkill();

      List<Candle> committed = KafkaTicks.candles(broker, CANDLES, true);
      Set<String> seen = new HashSet<>();
      assertThat("panes committed twice", committed.stream()
          .map(c -> WriteCandlesToKafka.key(c) + "#" + c.paneIndex())
          .filter(pane -> !seen.add(pane)).toList(), empty());
      ExpectedCandles.assertMatches(expected, ExpectedCandles.latestPanes(committed));
      assertThat("offsets beyond the records: transaction markers",
          KafkaTicks.endOffsets(broker, CANDLES), greaterThan((long) committed.size()));
    }
  }

  private static boolean matches(Map<String, JsonNode> expected, List<Candle> latest) {
    try {
      ExpectedCandles.assertMatches(expected, latest);
      return true;
    } catch (AssertionError notYet) {
      return false;
    }
  }
}
