package edu.mentoring.portal.events;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a command's event into the event log inside the command's own transaction: the change, its event and who
 * it notifies commit together or not at all. The event goes in unnumbered; once the transaction commits the
 * {@link EventSequencer} is told, and it numbers committed events in the order they became visible and publishes
 * them. A command holds no lock for its event and waits for nobody else's.
 *
 * <p>Notifications are not written here: the event records who it notifies ({@code notify}), and
 * {@code notifications/NotificationFanout} writes them after the event is numbered, one statement per batch of
 * events, so the event reaches its rooms without waiting for per-recipient rows.
 */
public final class Outbox {
  /** Fault injection for tests (verticle config): {@code false} commits events but never tells the sequencer. */
  public static final String CONFIG_SIGNAL = "eventsSignal";

  static final String APPEND = """
    INSERT INTO activity_feed (event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms,
                               notify, created_at)
    VALUES (#{type}, #{actorId}, #{actorRole}, (SELECT name FROM users WHERE id = #{actorId}), #{targetType},
            #{targetId}, #{data}, #{rooms}, #{notify}, clock_timestamp())""";

  private Outbox() {
  }

  /** Appends {@code event} inside {@code conn}'s transaction (there must be one); one statement. */
  public static Future<Void> append(SqlConnection conn, DomainEvent event) {
    Transaction tx = conn.transaction();
    Context context = Vertx.currentContext();
    if (tx == null || context == null) {
      return Future.failedFuture(new IllegalStateException("events are appended inside a command's transaction"));
    }
    boolean signal = context.config().getBoolean(CONFIG_SIGNAL, true);
    Map<String, Object> p = new HashMap<>();
    p.put("type", event.type());
    p.put("actorId", event.actor() == null ? null : event.actor().userIdOrNull());
    p.put("actorRole", event.actor() == null ? null : event.actor().role().wire());
    p.put("targetType", event.targetType());
    p.put("targetId", event.targetId());
    p.put("data", event.data());
    p.put("rooms", event.rooms().toArray(new String[0]));
    p.put("notify", notify(event.notifications()));
    return SqlTemplate.forUpdate(conn, APPEND).execute(p).map(r -> {
      if (signal) tx.completion().onSuccess(v -> EventSequencer.committed(context.owner()));
      return null;
    });
  }

  /**
   * The stored form of who an event notifies: recipients with the same text grouped,
   * {@code [{title, body, users: [ids]} | {title, body, cohort: id}]}; null when nobody is.
   * In: {@code [{userId, title, body} | {cohortId, title, body}]} (a cohort: its students when notified).
   */
  static JsonArray notify(JsonArray notifications) {
    if (notifications == null || notifications.isEmpty()) return null;
    Map<List<String>, JsonObject> groups = new LinkedHashMap<>();
    JsonArray stored = new JsonArray();
    for (Object o : notifications) {
      JsonObject n = (JsonObject) o;
      String title = n.getString("title", "");
      String body = n.getString("body", "");
      if (n.getLong("cohortId") != null) {
        stored.add(new JsonObject().put("title", title).put("body", body).put("cohort", n.getLong("cohortId")));
        continue;
      }
      groups.computeIfAbsent(List.of(title, body), k -> {
        JsonObject g = new JsonObject().put("title", title).put("body", body).put("users", new JsonArray());
        stored.add(g);
        return g;
      }).getJsonArray("users").add(n.getLong("userId"));
    }
    return stored;
  }
}
