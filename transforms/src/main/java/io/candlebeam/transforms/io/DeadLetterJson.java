package io.candlebeam.transforms.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.candlebeam.transforms.model.DeadLetter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** A dead letter as one JSON object: payload (verbatim), origin, metadata, step, reason, error. */
public final class DeadLetterJson {
  private static final JsonFactory JSON = new JsonFactory();

  private DeadLetterJson() {}

  public static String toJson(DeadLetter d) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("origin", d.origin());
      g.writeStringField("step", d.step());
      g.writeStringField("reason", d.reason());
      g.writeStringField("error_type", d.errorType());
      g.writeStringField("payload", d.payload());
      g.writeObjectFieldStart("metadata");
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(d.metadata()).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      if (d.stackTrace() != null) {
        g.writeStringField("stack_trace", d.stackTrace());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
