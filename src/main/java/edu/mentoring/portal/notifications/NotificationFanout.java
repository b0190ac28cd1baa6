package edu.mentoring.portal.notifications;

import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Leadership;
import edu.mentoring.portal.events.FeedAddresses;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the notifications events cause, after the events are numbered and on their way to the rooms: the push to
 * a room never waits for one row per recipient. One active instance in the cluster ({@link Leadership}) works
 * through the event log in id order behind the {@code notified} cursor: per batch of events one statement writes
 * every notification (exactly once: the cursor moves with the rows), the database moves the unread counts, and
 * ONE message ({@link RealtimeAddresses#NOTIFICATIONS}) carries them all to every node, whose bridge builds each
 * recipient's {@code notification:created} — not one bus publish per recipient.
 *
 * <p>Nothing owed is lost: the cursor moves in the same transaction as the rows, and a newly elected instance starts
 * from it. Woken by every numbered event that notifies someone, and by a sweep.
 */
public class NotificationFanout extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationFanout.class);
  /** Advisory-lock key of the fan-out election ("NOTE"). */
  static final long LOCK_KEY = 0x4E4F_5445L;
  /** Events per transaction: a cohort session to 5,000 students is 5,000 rows already. */
  static final int EVENTS_PER_BATCH = 50;
  static final long SWEEP_MS = 1_000;
  static final long LEADER_RETRY_MS = 1_000;

  private Leadership leadership;
  private boolean running;
  private boolean requested;
  private long sweeper = -1;

  @Override
  public Future<?> start() {
    leadership = new Leadership(vertx, Db.connectOptions(config().getJsonObject(ConfigKeys.DB)), LOCK_KEY,
      "notification fan-out", this::request, () -> { }, () -> running);
    leadership.start(LEADER_RETRY_MS);
    sweeper = vertx.setPeriodic(SWEEP_MS, id -> request());
    return vertx.eventBus().<JsonObject>consumer(FeedAddresses.STAMPED, msg -> {
      if (msg.body() != null && msg.body().getBoolean("notifies", false)) request();
    }).completion();
  }

  @Override
  public Future<?> stop() {
    if (sweeper != -1) vertx.cancelTimer(sweeper);
    return leadership.stop();
  }

  private void request() {
    requested = true;
    if (!running && leadership.isLeader()) fanOut();
  }

  private void fanOut() {
    PgConnection c = leadership.connection();
    if (!leadership.holds(c)) return;
    running = true;
    requested = false;
    batch(c).onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        LOG.warn("notification fan-out failed, will retry: {}", ar.cause().getMessage());
        if (!(ar.cause() instanceof io.vertx.pgclient.PgException)) leadership.drop(c);
        return;
      }
      if (ar.result() || requested) fanOut();
    });
  }

  /** One transaction: the rows of the next events, the recipients' counts, the cursor; then the push. */
  private Future<Boolean> batch(PgConnection c) {
    return c.begin().compose(tx -> SqlTemplate.forQuery(c, NotificationSql.FANOUT_CURSOR).execute(Map.of())
      .compose(cursor -> {
        Row row = cursor.iterator().next();
        long after = row.getLong("position");
        long upTo = Math.min(row.getLong("head"), after + EVENTS_PER_BATCH);
        if (upTo <= after) return Future.succeededFuture((Pushed) null);
        Map<String, Object> range = Map.of("after", after, "upTo", upTo);
        return SqlTemplate.forQuery(c, NotificationSql.FAN_OUT).mapTo(NotificationMessages.NOTIFICATION_WITH_USER)
          .execute(range)
          .compose(notes -> {
            Future<RowSet<Row>> counts = notes.size() == 0 ? Future.succeededFuture()
              : SqlTemplate.forQuery(c, NotificationSql.UNREAD_COUNTS).execute(Map.of("userIds", users(notes)));
            Future<?> moved = SqlTemplate.forUpdate(c, NotificationSql.MOVE_FANOUT_CURSOR).execute(range);
            return Future.all(counts, moved).map(v -> new Pushed(notes, counts.result(), upTo < row.getLong("head")));
          });
      })
      .compose(pushed -> tx.commit().map(pushed),
        t -> tx.rollback().otherwiseEmpty().transform(v -> Future.<Pushed>failedFuture(t))))
      .map(pushed -> {
        if (pushed == null) return false;
        if (pushed.notes.size() > 0) push(pushed);
        return pushed.more;
      });
  }

  private static Long[] users(RowSet<JsonObject> notes) {
    Long[] users = new Long[notes.size()];
    int i = 0;
    for (JsonObject n : notes) users[i++] = n.getLong("userId");
    return users;
  }

  /**
   * {@code {groups: [{notification: {type, title, body, eventId, read, createdAt}, users: [...], ids: [...],
   * unread: [...]}]}}: what every recipient's {@code notification:created} is made of, the same text once per group.
   */
  private void push(Pushed pushed) {
    Map<Long, Long> unread = new HashMap<>();
    if (pushed.counts != null) pushed.counts.forEach(r -> unread.put(r.getLong("user_id"), r.getLong("unread")));
    Map<List<Object>, JsonObject> groups = new LinkedHashMap<>();
    for (JsonObject n : pushed.notes) {
      JsonObject shared = n.copy();
      long userId = (Long) shared.remove("userId");
      long id = (Long) shared.remove("id");
      List<Object> key = new ArrayList<>(shared.getMap().values());
      JsonObject group = groups.computeIfAbsent(key, k -> new JsonObject().put("notification", shared)
        .put("users", new JsonArray()).put("ids", new JsonArray()).put("unread", new JsonArray()));
      group.getJsonArray("users").add(userId);
      group.getJsonArray("ids").add(id);
      group.getJsonArray("unread").add(unread.getOrDefault(userId, 0L));
    }
    vertx.eventBus().publish(RealtimeAddresses.NOTIFICATIONS,
      new JsonObject().put("groups", new JsonArray(new ArrayList<>(groups.values()))));
  }

  private record Pushed(RowSet<JsonObject> notes, RowSet<Row> counts, boolean more) {
  }
}
