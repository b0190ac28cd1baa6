package edu.mentoring.portal.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows "one per member of a cohort" — a group session's roll, a cohort task's assignees — written just after the
 * command that creates their owner commits, so the owner's event reaches the cohort without waiting for thousands
 * of rows. The owning store gives its own statement ({@code #{id}}: the owner; it must stamp the owner as done, so
 * running it again adds nothing) and a query for owners committed but never done (their node died in between).
 *
 * <p>Membership is read under a key-share lock on the cohort row, and a cohort move holds both cohorts' rows
 * {@link #lockForMove FOR UPDATE}: a roll and a move of the same cohort see each other whole.
 */
public final class CohortRoll {
  private static final Logger LOG = LoggerFactory.getLogger(CohortRoll.class);
  static final String LOCK_MEMBERS = "SELECT 1 FROM cohorts WHERE id = #{cohortId} FOR KEY SHARE";
  /** In id order: two moves in opposite directions cannot deadlock. */
  /** Config key (every verticle's config): how long after its owner's commit a roll is taken. */
  public static final String CONFIG_LINGER_MS = "rollLingerMs";
  public static final long LINGER_MS = 50;
  static final String LOCK_FOR_MOVE = "SELECT id FROM cohorts WHERE id = ANY(#{ids}) ORDER BY id FOR UPDATE";

  private CohortRoll() {
  }

  /** Inside the caller's transaction (e.g. a change to the owner just after its creation). */
  public static Future<Void> take(SqlClient conn, String add, long id, long cohortId) {
    Future<?> locked = SqlTemplate.forQuery(conn, LOCK_MEMBERS).execute(Map.of("cohortId", cohortId));
    Future<?> added = SqlTemplate.forUpdate(conn, add).execute(Map.of("id", id));
    return Future.all(locked, added).mapEmpty(); // pipelined: the lock is granted before the statement reads
  }

  /**
   * In its own transaction, {@code lingerMs} after the owner's commit (the owner's event, on its way to the cohort's
   * sockets, goes first: thousands of socket writes this insert would compete with for the same cores); a failure
   * is left to {@link #sweep}.
   */
  public static Future<Void> takeAfterCommit(Vertx vertx, Pool pool, String add, long id, long cohortId,
                                             long lingerMs) {
    Future<?> later = lingerMs > 0 ? vertx.timer(lingerMs) : Future.succeededFuture();
    return later.compose(v -> takeAfterCommit(pool, add, id, cohortId));
  }

  private static Future<Void> takeAfterCommit(Pool pool, String add, long id, long cohortId) {
    return pool.withTransaction(conn -> take(conn, add, id, cohortId)).recover(t -> {
      LOG.warn("rows of {} for cohort {} not written yet, the sweep will: {}", id, cohortId, t.getMessage());
      return Future.succeededFuture();
    });
  }

  /** {@code pending} answers {@code (id, cohort_id)} of owners committed a while ago whose rows were never written. */
  public static void sweep(Pool pool, String pending, String add) {
    SqlTemplate.forQuery(pool, pending).execute(Map.of())
      .onSuccess(rows -> rows.forEach(r -> takeAfterCommit(pool, add, r.getLong("id"), r.getLong("cohort_id"))))
      .onFailure(t -> LOG.debug("cohort roll sweep failed, will retry: {}", t.getMessage()));
  }

  /**
   * Locks both cohorts of a student's move, before anything else of the move touches them (the student's own update
   * takes a key-share lock on the new cohort: locking after it would let two opposite moves deadlock).
   */
  public static Future<Void> lockForMove(SqlClient conn, Long fromCohortId, Long toCohortId) {
    if (Objects.equals(fromCohortId, toCohortId)) return Future.succeededFuture();
    List<Long> cohorts = new ArrayList<>();
    if (fromCohortId != null) cohorts.add(fromCohortId);
    if (toCohortId != null) cohorts.add(toCohortId);
    return SqlTemplate.forQuery(conn, LOCK_FOR_MOVE).execute(Map.of("ids", cohorts.toArray(new Long[0]))).mapEmpty();
  }
}
