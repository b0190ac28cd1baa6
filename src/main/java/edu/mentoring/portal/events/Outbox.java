package edu.mentoring.portal.events;

import edu.mentoring.portal.notifications.NotificationMessages;
import edu.mentoring.portal.notifications.NotificationSql;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a command's event into the event log inside the command's own transaction, already numbered: the change,
 * its event and the notifications it causes commit together or not at all, and the event can go out the moment the
 * transaction commits (no second transaction, no hop to another verticle on the way to the sockets).
 *
 * <p>Ids are {@code max(id)+1} taken under a cluster-wide advisory lock that the transaction holds until it ends,
 * so ids become visible in increasing order whichever node commits: {@code GET /api/events?after=} never skips an
 * event that commits late. The lock is taken by the last statements before COMMIT, so commands serialise only for
 * that final round trip.
 *
 * <p>After commit each event is published once ({@link RealtimeAddresses#DELIVER}, {@link FeedAddresses#STAMPED}),
 * its notifications are pushed, and its id goes to this node's {@link EventRelay} to be marked published; an event
 * whose node died before that is republished by the relay of any node. Delivery is at least once; consumers
 * deduplicate by event id.
 */
public final class Outbox {
  /** Fault injection for tests (verticle config): {@code false} commits events but never publishes them. */
  public static final String CONFIG_PUBLISH = "eventsPublish";
  /** The advisory lock that orders event ids (the DashboardMetrics election uses another key). */
  static final long LOCK_KEY = 7_310_512_027L;

  static final String LOCK = "SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")";
  /** Under the lock, a statement's fresh snapshot sees every event committed before: max(id)+1 is the next id. */
  static final String STAMP = """
    INSERT INTO activity_feed (id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms,
                               created_at, stamped_at)
    SELECT COALESCE(max(id), 0) + 1, #{type}, #{actorId}, #{actorRole}, (SELECT name FROM users WHERE id = #{actorId}),
           #{targetType}, #{targetId}, #{data}, #{rooms}, clock_timestamp(), clock_timestamp()
    FROM activity_feed
    RETURNING id, actor_name, created_at""";

  private Outbox() {
  }

  /**
   * Appends {@code event} inside {@code conn}'s transaction (there must be one) and arranges its publication for
   * when that transaction commits. All statements go out pipelined: one round trip.
   */
  public static Future<Void> append(SqlConnection conn, DomainEvent event) {
    Transaction tx = conn.transaction();
    Context context = Vertx.currentContext();
    if (tx == null || context == null) {
      return Future.failedFuture(new IllegalStateException("events are appended inside a command's transaction"));
    }
    boolean publish = context.config().getBoolean(CONFIG_PUBLISH, true);

    List<Map<String, Object>> notes = new ArrayList<>();
    for (Object o : event.notifications()) {
      JsonObject n = (JsonObject) o;
      Map<String, Object> p = new HashMap<>();
      p.put("userId", n.getLong("userId"));
      p.put("type", event.type());
      p.put("title", n.getString("title", ""));
      p.put("body", n.getString("body", ""));
      notes.add(p);
    }
    Long[] recipients = notes.stream().map(n -> (Long) n.get("userId")).distinct().toArray(Long[]::new);

    // pipelined: the server runs them in this order, so the stamp happens under the lock
    Future<RowSet<Row>> lock = conn.query(LOCK).execute();
    Map<String, Object> params = stampParams(event);
    Future<RowSet<Row>> stamp = SqlTemplate.forQuery(conn, STAMP).execute(params);
    Future<RowSet<JsonObject>> notified = notes.isEmpty() ? Future.succeededFuture()
      : SqlTemplate.forQuery(conn, NotificationSql.CREATE_FOR_EVENT).mapTo(NotificationMessages.NOTIFICATION_WITH_USER)
        .executeBatch(notes);
    Future<RowSet<Row>> unread = recipients.length == 0 ? Future.succeededFuture()
      : SqlTemplate.forQuery(conn, NotificationSql.UNREAD_COUNTS).execute(Map.of("userIds", recipients));

    return Future.all(lock, stamp, notified, unread).map(v -> {
      Row row = stamp.result().iterator().next();
      JsonObject envelope = DomainEvent.envelope(row.getLong("id"), event.type(), (Long) params.get("actorId"),
        (String) params.get("actorRole"), row.getString("actor_name"), event.targetType(), event.targetId(), event.data(),
        row.getOffsetDateTime("created_at"));
      Committed committed = new Committed(envelope, new JsonArray(new ArrayList<>(event.rooms())), unreadCounts(unread.result()));
      for (RowSet<JsonObject> r = notified.result(); r != null; r = r.next()) r.forEach(committed.notifications::add);
      if (publish) {
        tx.completion().onSuccess(done -> {
          committed.publish(context.owner());
          context.owner().eventBus().send(FeedAddresses.PUBLISHED, envelope.getLong("id"),
            new DeliveryOptions().setLocalOnly(true));
        });
      }
      return null;
    });
  }

  /** {@code user_id → unread} from {@link NotificationSql#UNREAD_COUNTS} (null: nobody was notified). */
  static Map<Long, Long> unreadCounts(RowSet<Row> rows) {
    Map<Long, Long> unread = new HashMap<>();
    if (rows != null) rows.forEach(u -> unread.put(u.getLong("user_id"), u.getLong("unread")));
    return unread;
  }

  private static Map<String, Object> stampParams(DomainEvent event) {
    Map<String, Object> p = new HashMap<>();
    p.put("type", event.type());
    p.put("actorId", event.actor() == null ? null : event.actor().userIdOrNull());
    p.put("actorRole", event.actor() == null ? null : event.actor().role().wire());
    p.put("targetType", event.targetType());
    p.put("targetId", event.targetId());
    p.put("data", event.data());
    p.put("rooms", event.rooms().toArray(new String[0]));
    return p;
  }

  /** An event whose transaction committed, with the notifications it created and their owners' unread counts. */
  static final class Committed {
    final JsonObject envelope;
    final JsonArray rooms;
    final List<JsonObject> notifications = new ArrayList<>();
    final Map<Long, Long> unread;

    Committed(JsonObject envelope, JsonArray rooms, Map<Long, Long> unread) {
      this.envelope = envelope;
      this.rooms = rooms;
      this.unread = unread;
    }

    /** One bus publish per event (each node's bridge fans it out) and the pushes of its notifications. */
    void publish(Vertx vertx) {
      vertx.eventBus().publish(RealtimeAddresses.DELIVER, new JsonObject().put("rooms", rooms).put("message", envelope));
      vertx.eventBus().publish(FeedAddresses.STAMPED, new JsonObject().put("rooms", rooms).put("event", envelope));
      for (JsonObject n : notifications) {
        long userId = n.getLong("userId");
        JsonObject notification = n.copy();
        notification.remove("userId");
        NotificationMessages.pushCreated(vertx, userId, notification, unread.getOrDefault(userId, 0L));
      }
    }
  }
}
