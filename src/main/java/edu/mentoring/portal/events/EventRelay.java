package edu.mentoring.portal.events;

import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.notifications.NotificationMessages;
import edu.mentoring.portal.notifications.NotificationSql;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The "at least once" half of the event log. {@link Outbox} publishes each event when its transaction commits and
 * reports the id here; this verticle marks those ids published {@link #MARK_AFTER_MS} later, a batch per statement,
 * and every 2 s republishes events that were committed a while ago but never marked — their node died between
 * commit and publish, or right after publishing. Consumers deduplicate by event id, so a republished event is
 * harmless.
 */
public class EventRelay extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
  static final int BATCH = 500;

  static final String MARK_PUBLISHED = "UPDATE activity_feed SET published_at = now() WHERE id = ANY(#{ids})";
  static final String UNPUBLISHED = """
    SELECT id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms, created_at
    FROM activity_feed WHERE published_at IS NULL AND stamped_at < now() - interval '3 seconds'
    ORDER BY id LIMIT #{limit} FOR UPDATE SKIP LOCKED""";

  /**
   * An event counts as published this long after its node handed it to the event bus. A clustered publish leaves
   * the node asynchronously (subscriber lookup, then a write to each node's connection), so marking at once let a
   * node killed in between take an event with it, marked and never sent (ClusterFailoverTest, under load). Shorter
   * than the relay's 3 s, so a healthy node's events are never relayed.
   */
  static final long MARK_AFTER_MS = 1_000;

  private Pool pool;
  /** Published ids waiting for their mark, oldest first, each with the time it may be marked (monotonic ms). */
  private final ArrayDeque<long[]> pending = new ArrayDeque<>();
  private long markTimer = -1;
  private Future<?> marking = Future.succeededFuture();

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    if (config().getBoolean(Outbox.CONFIG_PUBLISH, true)) vertx.setPeriodic(2_000, id -> relay());
    return vertx.eventBus().<Long>localConsumer(FeedAddresses.PUBLISHED, msg -> published(msg.body())).completion();
  }

  private void published(Long id) {
    if (id == null) return;
    pending.add(new long[] {id, now() + MARK_AFTER_MS});
    scheduleMark();
  }

  /** One timer, for the oldest pending id; every id due by then goes in the same statement. */
  private void scheduleMark() {
    if (markTimer != -1 || pending.isEmpty()) return;
    markTimer = vertx.setTimer(Math.max(1, pending.peek()[1] - now()), t -> {
      markTimer = -1;
      long now = now();
      List<Long> due = new ArrayList<>();
      while (!pending.isEmpty() && pending.peek()[1] <= now) due.add(pending.poll()[0]);
      if (!due.isEmpty()) {
        Long[] ids = due.toArray(new Long[0]);
        marking = marking.eventually(() -> SqlTemplate.forUpdate(pool, MARK_PUBLISHED).execute(Map.of("ids", ids))
          .onFailure(e -> LOG.warn("could not mark {} event(s) published; the relay will publish them again: {}",
            ids.length, e.getMessage())));
      }
      scheduleMark();
    });
  }

  private static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  /** Republishes events committed a while ago but never marked published (their node died in between). */
  private void relay() {
    pool.withTransaction(conn -> SqlTemplate.forQuery(conn, UNPUBLISHED).execute(Map.of("limit", BATCH))
      .compose(rows -> {
        if (rows.size() == 0) return Future.succeededFuture(0);
        Long[] ids = new Long[rows.size()];
        int i = 0;
        for (Row row : rows) ids[i++] = row.getLong("id");
        return SqlTemplate.forQuery(conn, NotificationSql.OF_EVENTS).mapTo(NotificationMessages.NOTIFICATION_WITH_USER)
          .execute(Map.of("ids", ids))
          .compose(notes -> {
            Long[] users = new Long[notes.size()];
            int k = 0;
            for (JsonObject n : notes) users[k++] = n.getLong("userId");
            Future<RowSet<Row>> unread = users.length == 0 ? Future.succeededFuture()
              : SqlTemplate.forQuery(conn, NotificationSql.UNREAD_COUNTS).execute(Map.of("userIds", users));
            return unread.map(counts -> {
              Map<Long, Long> unreadCounts = Outbox.unreadCounts(counts);
              Map<Long, Outbox.Committed> events = new LinkedHashMap<>();
              for (Row row : rows) {
                events.put(row.getLong("id"), new Outbox.Committed(DomainEvent.envelope(row.getLong("id"),
                  row.getString("event_type"), row.getLong("actor_id"), row.getString("actor_role"),
                  row.getString("actor_name"), row.getString("target_type"), row.getLong("target_id"),
                  row.getJsonObject("data"), row.getOffsetDateTime("created_at")),
                  new JsonArray(List.of(row.getArrayOfStrings("rooms"))), unreadCounts));
              }
              notes.forEach(n -> events.get(n.getLong("eventId")).notifications.add(n));
              return events.values();
            });
          })
          .compose(events -> {
            LOG.info("relaying {} event(s) committed but never published", events.size());
            events.forEach(e -> e.publish(vertx));
            // same connection: it holds the rows' locks
            return SqlTemplate.forUpdate(conn, MARK_PUBLISHED).execute(Map.of("ids", ids)).map(events.size());
          });
      }))
      .onFailure(t -> LOG.warn("relay failed, will retry: {}", t.getMessage()));
  }

  /** Lets a mark in flight finish; ids not yet due stay unmarked: published again later, never lost. */
  @Override
  public Future<?> stop() {
    if (markTimer != -1) vertx.cancelTimer(markTimer);
    return marking.otherwiseEmpty();
  }
}
