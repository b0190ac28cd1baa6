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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "at least once" half of the event log. {@link Outbox} publishes each event when its transaction commits and
 * reports the id here; this verticle marks those ids published, a batch per statement, and every 2 s republishes
 * events that were committed a while ago but never marked — their node died between commit and publish.
 * Consumers deduplicate by event id, so a republished event is harmless.
 */
public class EventRelay extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
  static final int BATCH = 500;

  static final String MARK_PUBLISHED = "UPDATE activity_feed SET published_at = now() WHERE id = ANY(#{ids})";
  static final String UNPUBLISHED = """
    SELECT id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms, created_at
    FROM activity_feed WHERE published_at IS NULL AND stamped_at < now() - interval '3 seconds'
    ORDER BY id LIMIT #{limit} FOR UPDATE SKIP LOCKED""";

  private Pool pool;
  private final List<Long> published = new ArrayList<>();
  private Future<?> marking = Future.succeededFuture();
  private boolean markQueued;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    if (config().getBoolean(Outbox.CONFIG_PUBLISH, true)) vertx.setPeriodic(2_000, id -> relay());
    return vertx.eventBus().<Long>localConsumer(FeedAddresses.PUBLISHED, msg -> published(msg.body())).completion();
  }

  /** Ids arriving while a mark is in flight go out together in the next one. */
  private void published(Long id) {
    if (id == null) return;
    published.add(id);
    if (markQueued) return;
    markQueued = true;
    marking = marking.eventually(() -> {
      markQueued = false;
      Long[] ids = published.toArray(new Long[0]);
      published.clear();
      return SqlTemplate.forUpdate(pool, MARK_PUBLISHED).execute(Map.of("ids", ids))
        .onFailure(t -> LOG.warn("could not mark {} event(s) published; the relay will publish them again: {}",
          ids.length, t.getMessage()));
    });
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

  /** Lets a mark in flight finish; anything left unmarked is only published again, never lost. */
  @Override
  public Future<?> stop() {
    return marking.otherwiseEmpty();
  }
}
