package io.candlebeam.transforms.words;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.transforms.parse.MalformedRecordException;
import io.candlebeam.transforms.parse.RecordParser;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One word at an event time: {@code {"timestamp": "2024-04-06 10:05:00", "word": "Streaming"}}
 * (timestamps in UTC), the record of the Structured Streaming tutorial's word-count examples.
 */
public record WordEvent(long eventTime, String word) implements Serializable {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Parses word events; anything else is malformed (a dead letter). */
  public static RecordParser<WordEvent> parser() {
    return payload -> {
      JsonNode n;
      try {
        n = MAPPER.readTree(payload);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new MalformedRecordException("invalid JSON: " + e.getOriginalMessage());
      }
      if (n == null || !n.isObject()) {
        throw new MalformedRecordException("not a JSON object");
      }
      JsonNode word = n.get("word");
      JsonNode time = n.get("timestamp");
      if (word == null || !word.isTextual() || word.asText().isEmpty()) {
        throw new MalformedRecordException("field 'word' must be a non-empty string");
      }
      if (time == null || !time.isTextual()) {
        throw new MalformedRecordException("field 'timestamp' must be a string like 2024-04-06 10:05:00");
      }
      try {
        long t = LocalDateTime.parse(time.asText(), FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
        return new WordEvent(t, word.asText());
      } catch (DateTimeParseException e) {
        throw new MalformedRecordException(
            "field 'timestamp' must be yyyy-MM-dd HH:mm:ss (UTC), got '" + time.asText() + "'");
      }
    };
  }
}
