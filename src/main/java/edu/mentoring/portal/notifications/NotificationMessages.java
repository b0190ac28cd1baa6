package edu.mentoring.portal.notifications;

import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import edu.mentoring.portal.realtime.Rooms;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

import java.time.Instant;

import static edu.mentoring.portal.common.Times.utc;

/**
 * The notification JSON of the contract, and the two messages pushed on {@code user:{id}} so that every tab and
 * device shows the server's unread count. They carry no activity id: they are not domain events.
 */
public final class NotificationMessages {
  /** Maps a {@code notifications} row (id, type, title, body, event_id, read_at, created_at). */
  public static final RowMapper<JsonObject> NOTIFICATION = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("type", row.getString("type"))
    .put("title", row.getString("title"))
    .put("body", row.getString("body"))
    .put("eventId", row.getLong("event_id"))
    .put("read", row.getOffsetDateTime("read_at") != null)
    .put("createdAt", utc(row, "created_at"));

  /** The same, plus {@code userId} (the recipient), for code that routes notifications. */
  public static final RowMapper<JsonObject> NOTIFICATION_WITH_USER = row -> NOTIFICATION.map(row)
    .put("userId", row.getLong("user_id"));

  private NotificationMessages() {
  }

  public static void pushCreated(Vertx vertx, long userId, JsonObject notification, long unreadCount) {
    push(vertx, userId, new JsonObject().put("type", EventTypes.NOTIFICATION_CREATED)
      .put("occurredAt", Instant.now().toString())
      .put("data", new JsonObject().put("notification", notification).put("unreadCount", unreadCount)));
  }

  public static void pushChanged(Vertx vertx, long userId, long unreadCount) {
    push(vertx, userId, new JsonObject().put("type", EventTypes.NOTIFICATIONS_CHANGED)
      .put("occurredAt", Instant.now().toString())
      .put("data", new JsonObject().put("unreadCount", unreadCount)));
  }

  private static void push(Vertx vertx, long userId, JsonObject message) {
    vertx.eventBus().publish(RealtimeAddresses.DELIVER,
      new JsonObject().put("rooms", new JsonArray().add(Rooms.user(userId))).put("message", message));
  }
}
