package io.candlebeam.nativespark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The daily candles written the way a Spark user would, without Beam: the benchmark's baseline.
 *
 * <pre>
 * stream &lt;ticks dir&gt; &lt;out&gt;   Structured Streaming: readStream.json, withWatermark 1 hour,
 *                              window 1 day, Parquet sink partitioned by symbol, availableNow
 * batch  &lt;ticks dir&gt; &lt;out&gt;   its batch twin: read.json, the same aggregation, Parquet
 * check  &lt;out&gt; &lt;expected&gt;    compares the Parquet candles with the reference (untimed)
 * </pre>
 *
 * Open and close use {@code min_by}/{@code max_by} ordered by (event_time, value), the same tie
 * rule as candlebeam; sums are doubles, as an ordinary job has them. Malformed lines are dropped
 * (JSON reader mode DROPMALFORMED, Spark's usual choice) and invalid ticks filtered out by the
 * rules candlebeam's parser applies.
 */
public final class NativeSparkCandles {
  private static final StructType TICK = new StructType()
      .add("symbol", DataTypes.StringType)
      .add("event_time", DataTypes.LongType)
      .add("price", DataTypes.DoubleType)
      .add("open", DataTypes.DoubleType)
      .add("high", DataTypes.DoubleType)
      .add("low", DataTypes.DoubleType)
      .add("volume", DataTypes.DoubleType)
      .add("quote_volume", DataTypes.DoubleType)
      .add("number_trades", DataTypes.LongType)
      .add("price_change", DataTypes.DoubleType)
      .add("price_change_percent", DataTypes.DoubleType)
      .add("timestamp", DataTypes.StringType);

  private NativeSparkCandles() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().appName("native-candles")
        .master(System.getProperty("spark.master", "local[*]"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        // The one tuning every Spark guide gives for a small machine: not 200 shuffle partitions
        // (each a state store in streaming) for 2 cores.
        .config("spark.sql.shuffle.partitions",
            System.getProperty("spark.sql.shuffle.partitions",
                Integer.toString(2 * Runtime.getRuntime().availableProcessors())))
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      switch (args[0]) {
        case "stream" -> stream(spark, args[1], args[2]);
        case "batch" -> batch(spark, args[1], args[2]);
        case "check" -> System.out.println(check(spark, args[1], args[2]));
        default -> throw new IllegalArgumentException("stream | batch | check, not " + args[0]);
      }
    } finally {
      spark.stop();
    }
  }

  /** The aggregation, shared by the streaming job and its batch twin. */
  static Dataset<Row> candles(Dataset<Row> ticks, boolean watermark) {
    // The validation a careful user writes (candlebeam's parser applies the same rules).
    Dataset<Row> timed = ticks.filter(col("symbol").rlike("^[A-Za-z0-9._-]{1,32}$")
            .and(col("event_time").between(946684800000L, 4102444799999L))
            .and(col("price").gt(0)).and(finite("price", "open", "high", "low", "volume",
                "quote_volume", "price_change", "price_change_percent")))
        .withColumn("ts", timestamp_millis(col("event_time")));
    if (watermark) {
      timed = timed.withWatermark("ts", "1 hour");
    }
    Column byTime = col("event_time");
    return timed.groupBy(window(col("ts"), "1 day"), col("symbol"))
        // min_by skips rows whose ordering is null: the earliest tick that has an open.
        .agg(min_by(col("open"), when(col("open").isNotNull(), struct(byTime, col("open"))))
                .as("daily_open"),
            max(col("high")).as("daily_high"),
            min(col("low")).as("daily_low"),
            max_by(col("price"), struct(byTime, col("price"))).as("daily_close"),
            sum(col("volume")).as("daily_volume"),
            sum(col("quote_volume")).as("daily_quote_volume"),
            sum(col("number_trades")).as("total_trades"),
            count(col("price")).as("tick_count"),
            avg(col("price")).as("avg_price"))
        .withColumn("date", col("window.start"))
        .drop("window");
  }

  /** Each of {@code fields} is null or a finite number (Spark reads 1e400 as Infinity). */
  private static Column finite(String... fields) {
    Column ok = lit(true);
    for (String f : fields) {
      ok = ok.and(col(f).isNull().or(abs(col(f)).lt(Double.POSITIVE_INFINITY)));
    }
    return ok;
  }

  static void stream(SparkSession spark, String input, String out) throws Exception {
    Dataset<Row> ticks = spark.readStream().schema(TICK).option("mode", "DROPMALFORMED")
        .json(input);
    StreamingQuery query = candles(ticks, true).writeStream()
        .format("parquet")
        .outputMode("append")
        .partitionBy("symbol")
        .option("path", out + "/parquet")
        .option("checkpointLocation", out + "/checkpoint")
        .trigger(Trigger.AvailableNow())
        .start();
    query.awaitTermination();
  }

  static void batch(SparkSession spark, String input, String out) {
    Dataset<Row> ticks = spark.read().schema(TICK).option("mode", "DROPMALFORMED").json(input);
    candles(ticks, false).write().partitionBy("symbol").parquet(out + "/parquet");
  }

  /** "yes (N)" when every candle written equals its reference candle (doubles within 1e-9). */
  static String check(SparkSession spark, String out, String expectedFile) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> expected = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(expectedFile))) {
      JsonNode c = json.readTree(line);
      expected.put(c.get("symbol").asText() + "|" + c.get("date").asText(), c);
    }
    List<Row> rows = spark.read().parquet(out + "/parquet").collectAsList();
    int wrong = 0;
    for (Row r : rows) {
      String date = r.getTimestamp(r.fieldIndex("date")).toInstant().toString();
      JsonNode e = expected.get(r.getString(r.fieldIndex("symbol")) + "|" + date);
      if (e == null || !same(r, e)) {
        wrong++;
        if (System.getenv("NATIVE_DEBUG") != null) {
          System.err.println("DIFF " + r + "\n  vs " + e);
        }
      }
    }
    String held = rows.size() < expected.size()
        ? "; " + (expected.size() - rows.size()) + " still in state (no later event to pass the"
            + " watermark over them)" : "";
    return wrong == 0 ? "yes (" + rows.size() + held + ")"
        : "NO: " + wrong + " of " + rows.size() + " differ";
  }

  private static boolean same(Row r, JsonNode e) {
    for (String f : List.of("daily_open", "daily_high", "daily_low", "daily_close",
        "daily_volume", "daily_quote_volume", "avg_price")) {
      int i = r.fieldIndex(f);
      if (r.isNullAt(i) || e.get(f).isNull()) {
        if (r.isNullAt(i) != e.get(f).isNull()) {
          return false;
        }
        continue;
      }
      double a = r.getDouble(i);
      double x = e.get(f).asDouble();
      if (Math.abs(a - x) > 1e-9 * Math.max(1, Math.abs(x))) {
        return false;
      }
    }
    int trades = r.fieldIndex("total_trades");
    return (r.isNullAt(trades) ? e.get("total_trades").isNull()
            : r.getLong(trades) == e.get("total_trades").asLong())
        && r.getLong(r.fieldIndex("tick_count")) == e.get("tick_count").asLong();
  }
}
