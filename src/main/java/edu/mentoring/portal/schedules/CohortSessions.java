package edu.mentoring.portal.schedules;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.Map;
import java.util.Objects;

/**
 * A student's place in their cohort's upcoming group sessions, kept in the transaction that changes the cohort
 * (called by the account store, as every store calls the Outbox): a student who joins a cohort attends its sessions
 * still to come, one who leaves it no longer attends those (past sessions and marked attendance stay as history).
 * The SQL is the schedules' own ({@link ScheduleSql}). A session that would double-book the student is skipped:
 * the no-overlap rule holds, and the move itself never fails for it.
 */
public final class CohortSessions {
  private CohortSessions() {
  }

  public static Future<Void> moveMember(SqlClient conn, long studentId, Long fromCohortId, Long toCohortId) {
    if (Objects.equals(fromCohortId, toCohortId)) return Future.succeededFuture();
    Future<?> left = fromCohortId == null ? Future.succeededFuture()
      : SqlTemplate.forUpdate(conn, ScheduleSql.LEAVE_COHORT_SESSIONS)
        .execute(Map.of("studentId", studentId, "cohortId", fromCohortId));
    return left.compose(v -> toCohortId == null ? Future.succeededFuture()
        : SqlTemplate.forUpdate(conn, ScheduleSql.JOIN_COHORT_SESSIONS)
          .execute(Map.of("studentId", studentId, "cohortId", toCohortId)))
      .mapEmpty();
  }
}
