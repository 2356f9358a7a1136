package io.candlebeam.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The strict JSON value readers the record parsers share: one wording of every error. */
final class JsonValues {
  static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  /** A plain decimal as exchanges write it: digits, an optional fraction, no sign or exponent. */
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,30}(\\.[0-9]{1,30})?");

  private JsonValues() {}

  /** The fields of one JSON object as they are read, then the value they make. */
  interface Fields<T> {
    /** One field; unknown ones must be skipped ({@code p.skipChildren()}). */
    void read(String field, JsonToken value, JsonParser p)
        throws IOException, MalformedRecordException;

    /** The value, once the whole object was read; says what is missing or out of range. */
    T build() throws MalformedRecordException;
  }

  /**
   * One JSON object read into {@code fields}, strictly: not empty, an object, closed, nothing after
   * it (checked before the fields' own rules); JSON errors become {@link
   * MalformedRecordException}s with Jackson's own message.
   */
  static <T> T object(String payload, Supplier<? extends Fields<T>> fields)
      throws MalformedRecordException {
    if (payload == null || payload.isBlank()) {
      throw new MalformedRecordException("empty record");
    }
    try (JsonParser p = JSON.createParser(payload)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new MalformedRecordException(
            "not a JSON object (starts with " + describe(first) + ")");
      }
      Fields<T> f = fields.get();
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        f.read(field, p.nextToken(), p);
      }
      if (token != JsonToken.END_OBJECT) {
        throw new MalformedRecordException("invalid JSON: object not closed");
      }
      if (hasTrailingContent(p)) {
        throw new MalformedRecordException("trailing content after the JSON object");
      }
      return f.build();
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedRecordException("unreadable record: " + e.getMessage());
    }
  }

  /**
   * The integer {@code field} of an object's JSON bytes, read without parsing the rest, when it is
   * epoch milliseconds in [2000-01-01, 2100-01-01); else null (the record will be a dead letter).
   */
  static Long timeOf(byte[] json, String field) {
    long fast = FastTimeScan.find(json, field);
    if (fast == FastTimeScan.ABSENT) {
      return null;
    }
    if (fast != FastTimeScan.UNSURE) {
      return inTimeRange(fast);
    }
    return timeOfByJackson(json, field);
  }

  private static Long inTimeRange(long t) {
    return t >= TickParser.MIN_EVENT_TIME && t < TickParser.MAX_EVENT_TIME ? t : null;
  }

  /** {@link #timeOf} by Jackson alone (its reference, and the reader of what the scan is unsure of). */
  static Long timeOfByJackson(byte[] json, String field) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals(field)) {
          if (value != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return null;
          }
          return inTimeRange(p.getLongValue());
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /**
   * An exact decimal: digits with an optional fraction ({@code "43250.10"}), as a string (how
   * exchanges send prices and quantities) or a JSON number, read from its text without rounding; no
   * sign, no exponent.
   */
  static BigDecimal decimal(JsonParser p, JsonToken value, String field)
      throws MalformedRecordException, IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value == JsonToken.VALUE_STRING
        || value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
      String text = p.getText();
      if (!DECIMAL.matcher(text).matches()) {
        throw new MalformedRecordException("field '" + field
            + "' must be a plain decimal such as \"43250.10\", got " + clip(text));
      }
      return new BigDecimal(text);
    }
    throw wrongType(p, field, "a decimal string", value);
  }

  static Boolean bool(JsonParser p, JsonToken value, String field)
      throws MalformedRecordException, IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
      throw wrongType(p, field, "a boolean", value);
    }
    return value == JsonToken.VALUE_TRUE;
  }

  static boolean hasTrailingContent(JsonParser p) throws IOException {
    try {
      return p.nextToken() != null;
    } catch (JsonProcessingException e) {
      return true;
    }
  }

  static String string(JsonParser p, JsonToken value, String field)
      throws MalformedRecordException, IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      throw wrongType(p, field, "a string", value);
    }
    return p.getText();
  }

  static Double number(JsonParser p, JsonToken value, String field)
      throws MalformedRecordException, IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      throw wrongType(p, field, "a number", value);
    }
    double d = p.getDoubleValue();
    if (!Double.isFinite(d)) {
      throw new MalformedRecordException(
          "field '" + field + "' is out of double range: " + clip(p.getText()));
    }
    return d;
  }

  static Long integer(JsonParser p, JsonToken value, String field)
      throws MalformedRecordException, IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType(p, field, "an integer", value);
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new MalformedRecordException(
          "field '" + field + "' is out of integer range: " + clip(p.getText()));
    }
    return p.getLongValue();
  }

  static MalformedRecordException wrongType(
      JsonParser p, String field, String expected, JsonToken actual) throws IOException {
    String shown = actual.isScalarValue() ? " " + clip(p.getText()) : "";
    return new MalformedRecordException(
        "field '" + field + "' must be " + expected + ", got " + describe(actual) + shown);
  }

  static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.name();
    };
  }

  static String clip(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
