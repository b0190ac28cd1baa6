package edu.mentoring.portal.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.List;

/** The columns of a numbered event in {@code activity_feed} and the messages made of one row. */
final class EventLog {
  private EventLog() {
  }

  /** The columns {@link #envelope} and {@link #stamped} read, qualified with a table alias. */
  static String columns(String alias) {
    String a = alias + ".";
    return a + "id, " + a + "event_type, " + a + "actor_id, " + a + "actor_role, " + a + "actor_name, "
      + a + "target_type, " + a + "target_id, " + a + "data, " + a + "rooms, " + a + "created_at, "
      + "(" + a + "notify IS NOT NULL) AS notifies";
  }

  /** The contract's event envelope. */
  static JsonObject envelope(Row row) {
    return DomainEvent.envelope(row.getLong("id"), row.getString("event_type"), row.getLong("actor_id"),
      row.getString("actor_role"), row.getString("actor_name"), row.getString("target_type"),
      row.getLong("target_id"), row.getJsonObject("data"), row.getOffsetDateTime("created_at"));
  }

  /** The {@link FeedAddresses#STAMPED} message: {@code {event, rooms, notifies}}. */
  static JsonObject stamped(Row row) {
    return new JsonObject()
      .put("event", envelope(row))
      .put("rooms", new JsonArray(List.of(row.getArrayOfStrings("rooms"))))
      .put("notifies", row.getBoolean("notifies"));
  }
}
