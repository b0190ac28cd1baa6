package edu.mentoring.portal.accounts;

import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.Map;

/**
 * The contract's "a mentor's students" (assigned to them, or in a cohort they mentor) and "a cohort they mentor",
 * checked inside the caller's transaction by every store that lets a mentor address students (sessions, tasks).
 * The accounts package owns the relationships, so the rule's SQL lives here once.
 */
public final class MentorAudience {
  static final String IS_MENTOR = "SELECT 1 FROM users WHERE id = #{mentorId} AND role = 'mentor'";
  static final String MENTORS_STUDENT = """
    SELECT 1 FROM users u WHERE u.id = #{studentId} AND u.role = 'student' AND (u.mentor_id = #{mentorId}
      OR u.cohort_id IN (SELECT cohort_id FROM cohort_mentors WHERE mentor_id = #{mentorId}))""";
  static final String MENTORS_COHORT = "SELECT 1 FROM cohort_mentors WHERE cohort_id = #{cohortId} AND mentor_id = #{mentorId}";

  private MentorAudience() {
  }

  /**
   * Succeeds when {@code mentorId} is a mentor who may address {@code studentId} (or, if null, {@code cohortId});
   * otherwise fails with {@code validation_failed} naming the field. Both checks go out pipelined, in one round trip.
   */
  public static Future<Void> check(SqlClient conn, long mentorId, Long studentId, Long cohortId) {
    Future<Boolean> isMentor = SqlTemplate.forQuery(conn, IS_MENTOR).execute(Map.of("mentorId", mentorId))
      .map(rows -> rows.size() == 1);
    Future<Boolean> theirs = (studentId != null
      ? SqlTemplate.forQuery(conn, MENTORS_STUDENT).execute(Map.of("studentId", studentId, "mentorId", mentorId))
      : SqlTemplate.forQuery(conn, MENTORS_COHORT).execute(Map.of("cohortId", cohortId, "mentorId", mentorId)))
      .map(rows -> rows.size() == 1);
    return Future.all(isMentor, theirs).compose(v -> {
      if (!isMentor.result()) return Future.failedFuture(PortalException.invalid("mentorId", "is not a mentor"));
      if (theirs.result()) return Future.succeededFuture();
      return Future.failedFuture(studentId != null
        ? PortalException.invalid("studentId", "is not one of the mentor's students")
        : PortalException.invalid("cohortId", "is not a cohort the mentor mentors"));
    });
  }
}
