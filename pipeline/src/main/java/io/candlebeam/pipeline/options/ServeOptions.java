package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of {@code serve}: where the candles are and where the page is served. The command takes
 * the address as {@code --host} and {@code --port}, held here as {@code serveHost} and {@code
 * servePort} (the names and defaults of the job's {@code --serve} flags): Beam keeps one namespace
 * of flags, in which {@code --host} and {@code --port} are the socket source's.
 */
public interface ServeOptions extends JdbcOptions {
  @Description("Where the candles are: a run's output folder, its json/ or parquet/ folder, or "
      + "jdbc (the PostgreSQL table; --jdbcTable=crypto_candles for trade bars).")
  @Default.String("out")
  String getFrom();

  void setFrom(String value);

  @Description("The address to listen on (127.0.0.1: this machine only; 0.0.0.0: every "
      + "interface).")
  @Default.String("127.0.0.1")
  String getServeHost();

  void setServeHost(String value);

  @Description("The HTTP port (0: any free port).")
  @Default.Integer(8080)
  int getServePort();

  void setServePort(int value);

  @Description("How often the candles are read again, in milliseconds.")
  @Default.Integer(1000)
  int getRefreshMillis();

  void setRefreshMillis(int value);
}
