package io.candlebeam.pipeline.bench;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The streaming benchmark's live feed: {@code LiveTicks <bootstrap> <topic> <symbols> <ticks/s>
 * <seconds>} sends ticks stamped with the wall clock at a steady rate, round-robin over the
 * symbols. Each tick's price is its send time in seconds (ms precision), so a candle's close tells
 * when the newest tick in it was appended: {@link PaneLatency} turns that into end-to-end latency.
 */
public final class LiveTicks {
  private LiveTicks() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int symbols = Integer.parseInt(args[2]);
    double rate = Double.parseDouble(args[3]);
    long seconds = Long.parseLong(args[4]);
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    long start = System.currentTimeMillis();
    long sent = 0;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      while (true) {
        long now = System.currentTimeMillis();
        if (now - start >= seconds * 1000) {
          break;
        }
        long due = (long) ((now - start) / 1000.0 * rate);
        if (sent >= due) {
          Thread.sleep(1);
          continue;
        }
        for (; sent < due; sent++) {
          String symbol = "SYM" + (sent % symbols) + "USDT";
          long t = System.currentTimeMillis();
          double price = t / 1000.0;
          producer.send(new ProducerRecord<>(topic, symbol, "{\"symbol\":\"" + symbol
              + "\",\"event_time\":" + t + ",\"price\":" + price + ",\"open\":" + price
              + ",\"high\":" + price + ",\"low\":" + price + ",\"volume\":1.5,"
              + "\"quote_volume\":" + price + ",\"number_trades\":3,\"price_change\":0.1,"
              + "\"price_change_percent\":0.01,\"timestamp\":\"live\"}"));
        }
      }
      producer.flush();
    }
    double took = (System.currentTimeMillis() - start) / 1000.0;
    System.out.printf("sent %d ticks in %.1f s (%.0f ticks/s)%n", sent, took, sent / took);
  }
}
