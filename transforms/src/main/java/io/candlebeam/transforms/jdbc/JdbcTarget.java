package io.candlebeam.transforms.jdbc;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where candles are upserted: a JDBC URL, a user, where the password comes from (a file or an
 * environment variable, read where the connection is made, so the secret is never part of the
 * pipeline's options, its serialized graph or a log), and a table name checked to be a plain SQL
 * identifier (optionally schema-qualified), so no SQL can be injected through it.
 */
public record JdbcTarget(String url, String user, String passwordFile, String passwordEnv,
    String table) implements Serializable {
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  public JdbcTarget {
    if (!isPlainIdentifier(table)) {
      throw new IllegalArgumentException("table " + table
          + " is not a plain SQL identifier: use letters, digits and _, e.g. crypto_daily_stats");
    }
    if (!isJdbcUrl(url)) {
      throw new IllegalArgumentException("url " + url
          + " is not a JDBC URL, e.g. jdbc:postgresql://localhost:5432/candlebeam");
    }
  }

  /** A table name that cannot inject SQL: letters, digits and _, optionally schema-qualified. */
  public static boolean isPlainIdentifier(String table) {
    return table != null && IDENTIFIER.matcher(table).matches();
  }

  public static boolean isJdbcUrl(String url) {
    return url != null && url.startsWith("jdbc:");
  }

  /** Opens a connection; the password is read now, from the file or the environment. */
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    String password = password();
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(url, p);
  }

  private String password() {
    if (passwordFile != null) {
      try {
        return Files.readString(Path.of(passwordFile)).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("the password file " + passwordFile
            + " cannot be read: " + e.getMessage());
      }
    }
    return passwordEnv == null ? null : System.getenv(passwordEnv);
  }

  /** Runs one statement (DDL) on a fresh connection; a permanent error fails here, first. */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public String toString() {
    return "JdbcTarget[url=" + url + ", user=" + user + ", table=" + table + "]";
  }
}
