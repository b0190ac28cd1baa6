package edu.mentoring.portal.schedules;

import edu.mentoring.portal.accounts.CohortRoll;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A student's place in their cohort's sessions, kept in the transaction that changes the cohort (called by the
 * account store, as every store calls the Outbox): a student who joins a cohort attends its sessions still to come,
 * one who leaves it no longer attends those (past sessions and marked attendance stay as history). The SQL is the
 * schedules' own ({@link ScheduleSql}).
 *
 * <p>The no-double-booking rule follows the student: their 1:1 claims not yet over move under the new cohort, and
 * the new cohort's sessions that clash with one of them excuse the student (the move itself never fails for it).
 * Both cohorts are locked first ({@link CohortRoll#lockForMove}), so a group session's roll taken at the same
 * moment sees the move whole.
 */
public final class CohortSessions {
  private CohortSessions() {
  }

  /** After {@link CohortRoll#lockForMove} and the student's own update, in the same transaction. */
  public static Future<Void> moveMember(SqlClient conn, long studentId, Long fromCohortId, Long toCohortId) {
    if (Objects.equals(fromCohortId, toCohortId)) return Future.succeededFuture();
    Future<?> left = fromCohortId == null ? Future.succeededFuture()
      : SqlTemplate.forUpdate(conn, ScheduleSql.LEAVE_COHORT_SESSIONS)
        .execute(Map.of("studentId", studentId, "cohortId", fromCohortId));
    Future<?> excused = toCohortId == null ? Future.succeededFuture()
      : SqlTemplate.forUpdate(conn, ScheduleSql.EXCUSE_CLASHES)
        .execute(Map.of("studentId", studentId, "cohortId", toCohortId));
    Future<?> rekeyed = SqlTemplate.forUpdate(conn, ScheduleSql.REKEY_CLAIMS)
      .execute(Map.of("studentId", studentId, "cohortKey", toCohortId == null ? 0L : toCohortId));
    Future<?> joined = toCohortId == null ? Future.succeededFuture()
      : SqlTemplate.forUpdate(conn, ScheduleSql.JOIN_COHORT_SESSIONS)
        .execute(Map.of("studentId", studentId, "cohortId", toCohortId));
    // pipelined, in this order: the first refusal is the one reported
    return Future.all(List.of(left, excused, rekeyed, joined)).mapEmpty();
  }
}
