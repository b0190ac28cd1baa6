package edu.mentoring.portal.notifications;

import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Leadership;
import edu.mentoring.portal.events.FeedAddresses;
import edu.mentoring.portal.operations.NodeMetrics;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static edu.mentoring.portal.common.Times.utc;

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
  /**
   * A batch starts this long after the event that asked for it: the event's own push to its rooms goes first
   * (thousands of socket writes that the fan-out's insert would compete with for the same cores), and events
   * close together make one batch.
   */
  public static final String CONFIG_LINGER_MS = "notificationsLingerMs";
  static final long LINGER_MS = 50;
  static final long LEADER_RETRY_MS = 1_000;

  private Leadership leadership;
  private boolean running;
  private boolean requested;
  private long sweeper = -1;
  private long lingering = -1;
  private long lingerMs;

  @Override
  public Future<?> start() {
    leadership = new Leadership(vertx, Db.connectOptions(config().getJsonObject(ConfigKeys.DB)), LOCK_KEY,
      "notification fan-out", this::request, () -> { }, () -> running);
    lingerMs = config().getLong(CONFIG_LINGER_MS, LINGER_MS);
    leadership.start(LEADER_RETRY_MS);
    sweeper = vertx.setPeriodic(SWEEP_MS, id -> request());
    return vertx.eventBus().<JsonObject>consumer(FeedAddresses.STAMPED, msg -> {
      if (msg.body() != null && msg.body().getBoolean("notifies", false)) request();
    }).completion();
  }

  @Override
  public Future<?> stop() {
    if (sweeper != -1) vertx.cancelTimer(sweeper);
    if (lingering != -1) vertx.cancelTimer(lingering);
    return leadership.stop();
  }

  private void request() {
    requested = true;
    if (running || lingering != -1 || !leadership.isLeader()) return;
    lingering = vertx.setTimer(Math.max(1, lingerMs), t -> {
      lingering = -1;
      fanOut();
    });
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
      if (ar.result()) fanOut(); // more events waiting already: no reason to wait
      else if (requested) request();
    });
  }

  /** One transaction: the rows of the next events, the recipients' counts, the cursor; then the push. */
  private Future<Boolean> batch(PgConnection c) {
    return c.begin().compose(tx -> SqlTemplate.forQuery(c, NotificationSql.FANOUT_CURSOR).execute(Map.of())
      .compose(cursor -> {
        Row row = cursor.iterator().next();
        long after = row.getLong("position");
        long upTo = Math.min(row.getLong("head"), after + EVENTS_PER_BATCH);
        if (upTo <= after) return Future.succeededFuture((Batch) null);
        Map<String, Object> range = Map.of("after", after, "upTo", upTo);
        return SqlTemplate.forQuery(c, NotificationSql.FAN_OUT).execute(range)
          .compose(groups -> {
            Set<Long> recipients = new HashSet<>();
            groups.forEach(g -> recipients.addAll(List.of(g.getArrayOfLongs("users"))));
            Future<RowSet<Row>> counts = recipients.isEmpty() ? Future.succeededFuture()
              : SqlTemplate.forQuery(c, NotificationSql.UNREAD_COUNTS)
                .execute(Map.of("userIds", recipients.toArray(new Long[0])));
            Future<?> moved = SqlTemplate.forUpdate(c, NotificationSql.MOVE_FANOUT_CURSOR).execute(range);
            return Future.all(counts, moved)
              .map(v -> new Batch(groups, counts.result(), upTo < row.getLong("head")));
          });
      })
      .compose(batch -> tx.commit().map(batch),
        t -> tx.rollback().otherwiseEmpty().transform(v -> Future.<Batch>failedFuture(t))))
      .map(batch -> {
        if (batch == null) return false;
        if (batch.groups.size() > 0) {
          int notifications = 0;
          for (Row g : batch.groups) notifications += g.getArrayOfLongs("users").length;
          NodeMetrics.of(vertx).fanout(notifications);
          push(batch);
        }
        return batch.more;
      });
  }

  /**
   * {@code {groups: [{notification: {type, title, body, eventId, read, createdAt}, users: [...], ids: [...],
   * unread: [...]}]}}: what every recipient's {@code notification:created} is made of, the same text once per group.
   */
  private void push(Batch batch) {
    Map<Long, Long> unread = new HashMap<>();
    Row counts = batch.counts == null ? null : batch.counts.iterator().next();
    if (counts != null && counts.getArrayOfLongs("users") != null) {
      Long[] users = counts.getArrayOfLongs("users");
      Long[] values = counts.getArrayOfLongs("unread");
      for (int i = 0; i < users.length; i++) unread.put(users[i], values[i]);
    }
    JsonArray groups = new JsonArray();
    for (Row g : batch.groups) {
      Long[] users = g.getArrayOfLongs("users");
      JsonArray counted = new JsonArray(new ArrayList<>(users.length));
      for (Long u : users) counted.add(unread.getOrDefault(u, 0L));
      groups.add(new JsonObject()
        .put("notification", new JsonObject().put("type", g.getString("type")).put("title", g.getString("title"))
          .put("body", g.getString("body")).put("eventId", g.getLong("event_id")).put("read", false)
          .put("createdAt", utc(g, "created_at")))
        .put("users", new JsonArray(List.of((Object[]) users)))
        .put("ids", new JsonArray(List.of((Object[]) g.getArrayOfLongs("ids"))))
        .put("unread", counted));
    }
    vertx.eventBus().publish(RealtimeAddresses.NOTIFICATIONS, new JsonObject().put("groups", groups));
  }

  private record Batch(RowSet<Row> groups, RowSet<Row> counts, boolean more) {
  }
}
