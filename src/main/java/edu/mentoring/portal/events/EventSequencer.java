package edu.mentoring.portal.events;

import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.notifications.NotificationMessages;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static edu.mentoring.portal.common.Times.utc;

/**
 * Makes "nothing lost, nothing out of order" true. Commands commit their events to {@code event_outbox}; this
 * verticle moves committed ones to {@code activity_feed}, numbering them {@code max(id)+1...} while holding a
 * cluster-wide advisory lock, so ids become visible in increasing order whichever node stamps. The same
 * transaction creates the notifications the events cause. After commit it publishes each event once
 * ({@link RealtimeAddresses#DELIVER}, {@link FeedAddresses#STAMPED}) and marks it published; a relay republishes
 * whatever was stamped but not marked (a node that died in between). Delivery is at least once; consumers
 * deduplicate by event id.
 */
public class EventSequencer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventSequencer.class);
  /** Fault injection for tests: {@code false} stamps but never publishes, as a node dying after commit would. */
  public static final String CONFIG_PUBLISH = "eventsPublish";
  static final long LOCK_KEY = 7_310_512_027L;
  static final int BATCH = 500;

  static final String LOCK = "SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")";
  static final String CLAIM = """
    SELECT seq, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms, notify, occurred_at
    FROM event_outbox ORDER BY seq LIMIT #{limit} FOR UPDATE""";
  static final String LAST_ID = "SELECT COALESCE(max(id), 0) AS last FROM activity_feed";
  static final String INSERT_FEED = """
    INSERT INTO activity_feed (id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms,
                               created_at)
    VALUES (#{id}, #{type}, #{actorId}, #{actorRole}, #{actorName}, #{targetType}, #{targetId}, #{data}, #{rooms},
            #{occurredAt})""";
  static final String INSERT_NOTIFICATION = """
    INSERT INTO notifications (user_id, type, title, body, event_id)
    SELECT u.id, #{type}, #{title}, #{body}, #{eventId} FROM users u WHERE u.id = #{userId}
    RETURNING id, user_id, type, title, body, event_id, read_at, created_at""";
  static final String DELETE_CLAIMED = "DELETE FROM event_outbox WHERE seq = ANY(#{seqs})";
  static final String UNREAD = """
    SELECT user_id, count(*) AS unread FROM notifications WHERE read_at IS NULL AND user_id = ANY(#{userIds})
    GROUP BY user_id""";
  static final String MARK_PUBLISHED = "UPDATE activity_feed SET published_at = now() WHERE id = ANY(#{ids})";
  static final String UNPUBLISHED = """
    SELECT id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms, created_at
    FROM activity_feed WHERE published_at IS NULL AND stamped_at < now() - interval '3 seconds'
    ORDER BY id LIMIT #{limit} FOR UPDATE SKIP LOCKED""";
  static final String NOTIFICATIONS_OF_EVENTS = """
    SELECT id, user_id, type, title, body, event_id, read_at, created_at FROM notifications
    WHERE event_id = ANY(#{ids}) ORDER BY id""";

  private Pool pool;
  private boolean publish;
  private boolean running;
  private boolean again;
  private boolean stopping;
  private Future<Integer> current = Future.succeededFuture(0);

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    publish = config().getBoolean(CONFIG_PUBLISH, true);
    vertx.setPeriodic(500, id -> wake());
    if (publish) vertx.setPeriodic(2_000, id -> relay());
    return vertx.eventBus().localConsumer(FeedAddresses.OUTBOX_WRITTEN, msg -> wake()).completion()
      .onSuccess(v -> wake());
  }

  /** Stamps until the outbox is empty; wake-ups during a run coalesce into one more run. */
  private void wake() {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    current = stampBatch();
    current.onComplete(ar -> {
      running = false;
      if (ar.failed() && !stopping) LOG.warn("stamping failed, will retry: {}", ar.cause().getMessage());
      if (again || (ar.succeeded() && ar.result() == BATCH)) wake();
    });
  }

  private Future<Integer> stampBatch() {
    return pool.withTransaction(conn -> {
        // pipelined in one round trip; the server runs them in order, so the claim happens under the lock
        Future<RowSet<Row>> lock = conn.query(LOCK).execute();
        Future<RowSet<Row>> claim = SqlTemplate.forQuery(conn, CLAIM).execute(Map.of("limit", BATCH));
        Future<RowSet<Row>> last = conn.query(LAST_ID).execute();
        return Future.all(lock, claim, last).compose(v -> claim.result().size() == 0
          ? Future.succeededFuture(new Stamped())
          : stamp(conn, claim.result(), last.result().iterator().next().getLong("last")));
      })
      .compose(stamped -> publish ? publish(stamped, pool) : Future.succeededFuture(stamped))
      .map(stamped -> stamped.events.size());
  }

  private Future<Stamped> stamp(SqlConnection conn, RowSet<Row> claimed, long lastId) {
    long next = lastId + 1;
    Stamped stamped = new Stamped();
    List<Map<String, Object>> feedRows = new ArrayList<>();
    List<Map<String, Object>> noteRows = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    for (Row row : claimed) {
      long id = next++;
      seqs.add(row.getLong("seq"));
      Map<String, Object> p = new HashMap<>();
      p.put("id", id);
      p.put("type", row.getString("event_type"));
      p.put("actorId", row.getLong("actor_id"));
      p.put("actorRole", row.getString("actor_role"));
      p.put("actorName", row.getString("actor_name"));
      p.put("targetType", row.getString("target_type"));
      p.put("targetId", row.getLong("target_id"));
      p.put("data", row.getJsonObject("data"));
      p.put("rooms", row.getArrayOfStrings("rooms"));
      p.put("occurredAt", row.getOffsetDateTime("occurred_at"));
      feedRows.add(p);
      stamped.events.add(new Published(envelope(id, row.getString("event_type"), row.getLong("actor_id"),
        row.getString("actor_role"), row.getString("actor_name"), row.getString("target_type"),
        row.getLong("target_id"), row.getJsonObject("data"), row.getOffsetDateTime("occurred_at")),
        new JsonArray(List.of(row.getArrayOfStrings("rooms")))));
      JsonArray notify = (JsonArray) row.getJson("notify");
      if (notify == null) continue;
      for (Object o : notify) {
        JsonObject n = (JsonObject) o;
        Map<String, Object> np = new HashMap<>();
        np.put("userId", n.getLong("userId"));
        np.put("type", row.getString("event_type"));
        np.put("title", n.getString("title", ""));
        np.put("body", n.getString("body", ""));
        np.put("eventId", id);
        noteRows.add(np);
      }
    }
    // pipelined, and run by the server in this order: the notifications reference the feed rows before them
    Future<?> feed = SqlTemplate.forUpdate(conn, INSERT_FEED).executeBatch(feedRows);
    Future<?> notes = noteRows.isEmpty() ? Future.succeededFuture()
      : SqlTemplate.forQuery(conn, INSERT_NOTIFICATION).mapTo(NotificationMessages.NOTIFICATION_WITH_USER)
          .executeBatch(noteRows).map(rs -> {
            for (RowSet<JsonObject> r = rs; r != null; r = r.next()) r.forEach(stamped.notifications::add);
            return null;
          });
    Future<?> delete = SqlTemplate.forUpdate(conn, DELETE_CLAIMED).execute(Map.of("seqs", seqs.toArray(new Long[0])));
    Long[] recipients = noteRows.stream().map(n -> (Long) n.get("userId")).distinct().toArray(Long[]::new);
    Future<?> unread = recipients.length == 0 ? Future.succeededFuture()
      : SqlTemplate.forQuery(conn, UNREAD).execute(Map.of("userIds", recipients)).map(rows -> {
        rows.forEach(r -> stamped.unread.put(r.getLong("user_id"), r.getLong("unread")));
        return null;
      });
    return Future.all(feed, notes, delete, unread).map(stamped);
  }

  private static Future<Void> unreadCounts(SqlConnection conn, Stamped stamped) {
    if (stamped.notifications.isEmpty()) return Future.succeededFuture();
    Long[] users = stamped.notifications.stream().map(n -> n.getLong("userId")).distinct().toArray(Long[]::new);
    return SqlTemplate.forQuery(conn, UNREAD).execute(Map.of("userIds", users)).map(rows -> {
      rows.forEach(r -> stamped.unread.put(r.getLong("user_id"), r.getLong("unread")));
      return null;
    });
  }

  /** After commit: one bus publish per event (each node's bridge fans it out), then the published mark. */
  private Future<Stamped> publish(Stamped stamped, SqlClient client) {
    if (stamped.events.isEmpty()) return Future.succeededFuture(stamped);
    for (Published e : stamped.events) {
      vertx.eventBus().publish(RealtimeAddresses.DELIVER, new JsonObject().put("rooms", e.rooms).put("message", e.envelope));
      vertx.eventBus().publish(FeedAddresses.STAMPED, new JsonObject().put("rooms", e.rooms).put("event", e.envelope));
    }
    for (JsonObject n : stamped.notifications) {
      long userId = n.getLong("userId");
      JsonObject notification = n.copy();
      notification.remove("userId");
      NotificationMessages.pushCreated(vertx, userId, notification, stamped.unread.getOrDefault(userId, 0L));
    }
    Long[] ids = stamped.events.stream().map(e -> e.envelope.getLong("id")).toArray(Long[]::new);
    return SqlTemplate.forUpdate(client, MARK_PUBLISHED).execute(Map.of("ids", ids)).map(stamped)
      .recover(t -> {
        LOG.warn("could not mark events published; the relay will publish them again: {}", t.getMessage());
        return Future.succeededFuture(stamped);
      });
  }

  /** Republishes events stamped a while ago but never marked published (their node died in between). */
  private void relay() {
    pool.withTransaction(conn -> SqlTemplate.forQuery(conn, UNPUBLISHED).execute(Map.of("limit", BATCH))
      .compose(rows -> {
        if (rows.size() == 0) return Future.succeededFuture(0);
        Stamped stamped = new Stamped();
        for (Row row : rows) {
          stamped.events.add(new Published(envelope(row.getLong("id"), row.getString("event_type"),
            row.getLong("actor_id"), row.getString("actor_role"), row.getString("actor_name"),
            row.getString("target_type"), row.getLong("target_id"), row.getJsonObject("data"),
            row.getOffsetDateTime("created_at")), new JsonArray(List.of(row.getArrayOfStrings("rooms")))));
        }
        Long[] ids = stamped.events.stream().map(e -> e.envelope.getLong("id")).toArray(Long[]::new);
        return SqlTemplate.forQuery(conn, NOTIFICATIONS_OF_EVENTS).mapTo(NotificationMessages.NOTIFICATION_WITH_USER)
          .execute(Map.of("ids", ids))
          .compose(notes -> {
            notes.forEach(stamped.notifications::add);
            return unreadCounts(conn, stamped);
          })
          .compose(v -> {
            LOG.info("relaying {} event(s) stamped but never published", stamped.events.size());
            return publish(stamped, conn); // same connection: it holds the rows' locks
          })
          .map(s -> s.events.size());
      }))
      .onFailure(t -> LOG.warn("relay failed, will retry: {}", t.getMessage()));
  }

  /** Lets a batch in progress finish; whatever is left in the outbox is stamped by the next node to run. */
  @Override
  public Future<?> stop() {
    stopping = true;
    return current.otherwiseEmpty();
  }

  /** The contract's event envelope. */
  static JsonObject envelope(long id, String type, Long actorId, String actorRole, String actorName,
                             String targetType, long targetId, JsonObject data, OffsetDateTime occurredAt) {
    JsonObject actor = actorId == null ? null
      : new JsonObject().put("id", actorId).put("role", actorRole).put("name", actorName);
    return new JsonObject()
      .put("id", id)
      .put("type", type)
      .put("occurredAt", utc(occurredAt))
      .put("actor", actor)
      .put("target", new JsonObject().put("type", targetType).put("id", targetId))
      .put("data", data == null ? new JsonObject() : data);
  }

  private record Published(JsonObject envelope, JsonArray rooms) {
  }

  private static final class Stamped {
    final List<Published> events = new ArrayList<>();
    final List<JsonObject> notifications = new ArrayList<>();
    final Map<Long, Long> unread = new HashMap<>();
  }
}
