package edu.mentoring.portal.events;

import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Leadership;
import edu.mentoring.portal.operations.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Numbers committed events in the order they became visible and publishes them, in that order, once each — one
 * active instance in the cluster ({@link Leadership}), so every room on every node hears ids in increasing order.
 *
 * <p>Commands commit their event unnumbered and tell the sequencer ({@link #committed}); it stamps every committed,
 * unnumbered event in ONE statement ({@code max(id)+1..} in commit-visibility order: a row it can see has committed;
 * a row committing later is stamped by a later statement, with higher ids) and publishes them on
 * {@link FeedAddresses#STAMPED}. A stamp is a single statement on the lock's connection, never a lock held across a
 * command's round trips: commands do not wait for each other, and a busy second sees one stamp per batch.
 *
 * <p>At least once: a sweep stamps what no signal announced (a node died between commit and signal); the
 * {@code published} cursor trails publication by {@link #MARK_AFTER_MS}, and a newly elected sequencer first
 * publishes again everything after it (the former one may have died mid-publish). Consumers drop ids they have.
 * Every second the leader also publishes the highest id it has published ({@link FeedAddresses#HORIZON}), so a
 * node that missed the last events of a quiet period notices.
 */
public class EventSequencer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventSequencer.class);
  /** Advisory-lock key of the sequencer election ("SEQ"; metrics and notifications use others). */
  static final long LOCK_KEY = 0x53_4551L;
  static final int BATCH = 500;
  /** Fault injection for tests: {@code false} stamps events but never publishes them (a node that dies then). */
  public static final String CONFIG_PUBLISH = "sequencerPublish";
  public static final String CONFIG_SWEEP_MS = "sequencerSweepMs";
  static final long SWEEP_MS = 1_000;
  static final long LEADER_RETRY_MS = 1_000;
  /**
   * The published cursor stays this far behind publication: a clustered publish leaves the node asynchronously,
   * so an event handed to the bus just before the node dies may never have left it.
   */
  static final long MARK_AFTER_MS = 1_000;

  /**
   * Every committed event not yet numbered, numbered in one statement: relationship changes first, then seq order.
   * One statement cannot tell in which order the rows it sees committed; a relationship change numbered ahead of
   * them all is numbered ahead of every event committed after it, which RoomBridge's re-check relies on (an event
   * committed just before the change may then come after it: it is checked against the new rooms, never the old).
   * Two index scans rather than one sort by type: a backlog of unnumbered rows is read a batch at a time, not sorted
   * whole by every statement (a sort made the stamp fall behind under pgbench's create load).
   */
  static final String STAMP = """
    WITH firsts AS (
      SELECT seq FROM activity_feed WHERE id IS NULL AND event_type = '%1$s'
      ORDER BY seq LIMIT #{limit} FOR UPDATE SKIP LOCKED
    ), rest AS (
      SELECT seq FROM activity_feed WHERE id IS NULL AND event_type <> '%1$s'
      ORDER BY seq LIMIT (#{limit} - (SELECT count(*) FROM firsts)) FOR UPDATE SKIP LOCKED
    ), next AS (
      SELECT seq, true AS first FROM firsts UNION ALL SELECT seq, false FROM rest
    ), numbered AS (
      SELECT seq, (SELECT COALESCE(max(id), 0) FROM activity_feed)
        + row_number() OVER (ORDER BY first DESC, seq) AS id FROM next
    )
    UPDATE activity_feed f SET id = numbered.id, stamped_at = clock_timestamp()
    FROM numbered WHERE f.seq = numbered.seq
    RETURNING""".formatted(EventTypes.RELATIONSHIPS_CHANGED) + " " + EventLog.columns("f");

  static final String PUBLISHED_CURSOR = "SELECT position FROM event_cursors WHERE name = 'published'";
  static final String AFTER = "SELECT " + EventLog.columns("f")
    + " FROM activity_feed f WHERE f.id > #{after} ORDER BY f.id LIMIT #{limit}";
  static final String MARK_PUBLISHED =
    "UPDATE event_cursors SET position = GREATEST(position, #{id}) WHERE name = 'published'";

  private Leadership leadership;
  private MessageConsumer<JsonObject> signals;
  private boolean publish;
  private boolean running;
  private boolean requested;
  private long lastPublished;
  /** {@code [id, publishedAt ms]} of recent batches, oldest first: what the published cursor may move to. */
  private final ArrayDeque<long[]> recent = new ArrayDeque<>();
  private long sweeper = -1;

  /** After a command's transaction commits: there is something to number. */
  public static void committed(Vertx vertx) {
    NodeMetrics.of(vertx).eventCommitted();
    vertx.eventBus().send(FeedAddresses.SEQUENCE, null);
  }

  @Override
  public Future<?> start() {
    publish = config().getBoolean(CONFIG_PUBLISH, true);
    leadership = new Leadership(vertx, Db.connectOptions(config().getJsonObject(ConfigKeys.DB)), LOCK_KEY,
      "event sequencer", this::elected, this::deposed, () -> running);
    leadership.start(LEADER_RETRY_MS);
    sweeper = vertx.setPeriodic(config().getLong(CONFIG_SWEEP_MS, SWEEP_MS), id -> tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (sweeper != -1) vertx.cancelTimer(sweeper);
    Future<Void> unregistered = signals == null ? Future.succeededFuture() : signals.unregister();
    signals = null;
    return unregistered.eventually(leadership::stop);
  }

  private void elected() {
    // only the leader listens: a signal sent to the address reaches the one instance that can act on it
    signals = vertx.eventBus().consumer(FeedAddresses.SEQUENCE, msg -> request());
    PgConnection c = leadership.connection();
    running = true;
    recent.clear();
    SqlTemplate.forQuery(c, PUBLISHED_CURSOR).execute(Map.of())
      .compose(rows -> republish(c, rows.iterator().next().getLong("position")))
      .onComplete(ar -> {
        if (ar.failed()) fail(c, ar.cause());
        running = false;
        request();
      });
  }

  private void deposed() {
    if (signals != null) signals.unregister();
    signals = null;
  }

  /** What the former sequencer may not have got out: every event after the published cursor, in id order. */
  private Future<Void> republish(PgConnection c, long after) {
    if (!leadership.holds(c)) return Future.succeededFuture();
    return SqlTemplate.forQuery(c, AFTER).execute(Map.of("after", after, "limit", BATCH)).compose(rows -> {
      if (rows.size() > 0) LOG.info("publishing again {} event(s) after id {}", rows.size(), after);
      long last = publishAll(rows, true);
      return rows.size() == BATCH ? republish(c, last) : Future.succeededFuture();
    });
  }

  private void request() {
    requested = true;
    if (!running) stamp();
  }

  /** One stamp at a time; signals that come meanwhile make one more. */
  private void stamp() {
    PgConnection c = leadership.connection();
    if (!leadership.holds(c)) {
      running = false;
      return;
    }
    running = true;
    requested = false;
    SqlTemplate.forQuery(c, STAMP).execute(Map.of("limit", BATCH)).onComplete(ar -> {
      boolean more = requested;
      if (ar.succeeded()) {
        RowSet<Row> rows = ar.result();
        if (rows.size() > 0) {
          // RETURNING gives no order: the ids of one batch are consecutive
          List<Row> sorted = new ArrayList<>(rows.size());
          rows.forEach(sorted::add);
          sorted.sort(Comparator.comparingLong(r -> r.getLong("id")));
          publishAll(sorted, false);
        }
        more |= rows.size() == BATCH;
      } else {
        fail(c, ar.cause());
        more = false; // the sweep tries again
      }
      running = false;
      if (more) stamp();
    });
  }

  private long publishAll(Iterable<Row> rows, boolean again) {
    long last = lastPublished;
    int n = 0;
    NodeMetrics metrics = NodeMetrics.of(vertx);
    for (Row row : rows) {
      long id = row.getLong("id");
      if (publish) {
        vertx.eventBus().publish(FeedAddresses.STAMPED, EventLog.stamped(row));
        n++;
        if (!again) metrics.publishLag(java.time.Duration.between(row.getOffsetDateTime("created_at").toInstant(),
          java.time.Instant.now()));
      }
      last = Math.max(last, id);
    }
    metrics.eventsPublished(n, again);
    if (last > lastPublished && publish) { // (an instance that must not publish never moves the cursor)
      lastPublished = last;
      recent.add(new long[] {last, now()});
    }
    return last;
  }

  /** Every second: sweep for unannounced events, move the published cursor, tell every node how far ids go. */
  private void tick() {
    if (!leadership.isLeader()) return;
    request();
    PgConnection c = leadership.connection();
    long now = now();
    long latest = -1;
    while (!recent.isEmpty() && now - recent.peek()[1] >= MARK_AFTER_MS) latest = recent.poll()[0];
    long due = latest;
    if (due > 0) {
      SqlTemplate.forUpdate(c, MARK_PUBLISHED).execute(Map.of("id", due))
        .onFailure(t -> LOG.warn("could not move the published cursor to {}: {}", due, t.getMessage()));
    }
    if (publish && lastPublished > 0) {
      vertx.eventBus().publish(FeedAddresses.HORIZON, new JsonObject().put("id", lastPublished));
    }
  }

  private void fail(PgConnection c, Throwable t) {
    LOG.warn("event sequencer: {}", t.getMessage());
    if (!(t instanceof io.vertx.pgclient.PgException)) leadership.drop(c); // the connection (and lock) is suspect
  }

  private static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}
