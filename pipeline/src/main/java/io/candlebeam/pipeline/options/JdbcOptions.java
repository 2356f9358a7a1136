package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The PostgreSQL candle table. The password never comes from a flag. */
public interface JdbcOptions extends PipelineOptions {
  @Description("JDBC URL of the PostgreSQL database for --sinks=jdbc and --from=jdbc.")
  @Default.String("jdbc:postgresql://localhost:5432/candlebeam")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("Database user.")
  @Default.String("postgres")
  String getJdbcUser();

  void setJdbcUser(String value);

  @Description("A file holding the database password; without it, the PGPASSWORD environment "
      + "variable is used (as psql does).")
  String getJdbcPasswordFile();

  void setJdbcPasswordFile(String value);

  @Description("The candle table (a plain SQL identifier, optionally schema.table); default: "
      + "crypto_daily_stats (ticker input), crypto_candles (trade input).")
  String getJdbcTable();

  void setJdbcTable(String value);

  @Description("How long writes retry while PostgreSQL is unreachable before the job fails.")
  @Default.Integer(10)
  int getJdbcRetryMinutes();

  void setJdbcRetryMinutes(int value);
}
