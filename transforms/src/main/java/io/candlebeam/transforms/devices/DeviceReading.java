package io.candlebeam.transforms.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.transforms.parse.MalformedRecordException;
import io.candlebeam.transforms.parse.RecordParser;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One device's reading, flattened out of an event document:
 *
 * <pre>
 * {"eventId": "e1", "eventOffset": 10001, "eventPublisher": "device", "customerId": "CI00103",
 *  "data": {"devices": [{"deviceId": "D001", "temperature": 15, "measure": "C", "status": "ERROR"}]},
 *  "eventTime": "2023-01-05 11:13:53.643364"}
 * </pre>
 *
 * A payload may hold one document or a JSON array of them (a multi-line file).
 */
public record DeviceReading(String eventId, Long eventOffset, String eventPublisher,
    String customerId, String eventTime, String deviceId, String measure, String status,
    Double temperature) implements Serializable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Parses a payload into the readings of all its documents' devices. */
  public static RecordParser<List<DeviceReading>> parser() {
    return payload -> {
      JsonNode root;
      try {
        root = MAPPER.readTree(payload);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new MalformedRecordException("invalid JSON: " + e.getOriginalMessage());
      }
      if (root == null || !(root.isObject() || root.isArray())) {
        throw new MalformedRecordException("not a JSON object or array of objects");
      }
      List<DeviceReading> readings = new ArrayList<>();
      for (JsonNode doc : root.isArray() ? root : List.of(root)) {
        readings.addAll(readings(doc));
      }
      return readings;
    };
  }

  private static List<DeviceReading> readings(JsonNode doc) throws MalformedRecordException {
    if (!doc.isObject()) {
      throw new MalformedRecordException("a document must be a JSON object");
    }
    JsonNode devices = doc.path("data").path("devices");
    if (!devices.isArray()) {
      throw new MalformedRecordException("field 'data.devices' must be an array");
    }
    String eventId = text(doc, "eventId");
    if (eventId == null) {
      throw new MalformedRecordException("field 'eventId' must be a string");
    }
    List<DeviceReading> out = new ArrayList<>();
    for (JsonNode d : devices) {
      String deviceId = text(d, "deviceId");
      if (deviceId == null) {
        throw new MalformedRecordException("every device needs a string 'deviceId'");
      }
      JsonNode t = d.get("temperature");
      if (t != null && !t.isNull() && !t.isNumber()) {
        throw new MalformedRecordException("field 'temperature' must be a number");
      }
      out.add(new DeviceReading(eventId,
          doc.path("eventOffset").isIntegralNumber() ? doc.get("eventOffset").asLong() : null,
          text(doc, "eventPublisher"), text(doc, "customerId"), text(doc, "eventTime"), deviceId,
          text(d, "measure"), text(d, "status"), t == null || t.isNull() ? null : t.asDouble()));
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
