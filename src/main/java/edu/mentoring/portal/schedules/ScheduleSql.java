package edu.mentoring.portal.schedules;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

import static edu.mentoring.portal.common.Times.utc;

/** All SQL of schedules and their attendees, and the row mapper. */
final class ScheduleSql {
  static final String COLUMNS = """
    s.id, s.mentor_id, s.student_id, s.cohort_id, s.title, s.description, s.start_time, s.end_time, s.focus_stack,
    s.status, s.is_group_session, s.created_at, s.updated_at""";

  static final String INSERT = """
    INSERT INTO schedules AS s (mentor_id, student_id, cohort_id, title, description, start_time, end_time, focus_stack,
                           is_group_session)
    VALUES (#{mentorId}, #{studentId}, #{cohortId}, #{title}, #{description}, #{startTime}, #{endTime}, #{focusStack},
            #{isGroupSession})
    RETURNING""" + " " + COLUMNS;

  /** The students of a session: the one student, or the cohort's members at creation. */
  static final String INSERT_ATTENDEES = """
    INSERT INTO schedule_attendees (schedule_id, student_id, start_time, end_time)
    SELECT #{scheduleId}, u.id, #{startTime}, #{endTime} FROM users u
    WHERE u.role = 'student' AND (u.id = #{studentId} OR u.cohort_id = #{cohortId})""";

  /** A student leaving a cohort: out of its sessions still to come, unless their attendance was already marked. */
  static final String LEAVE_COHORT_SESSIONS = """
    DELETE FROM schedule_attendees a USING schedules s
    WHERE a.schedule_id = s.id AND a.student_id = #{studentId} AND s.cohort_id = #{cohortId}
      AND s.status = 'scheduled' AND s.start_time > now() AND a.attendance = 'pending'""";

  /** A student joining a cohort: into its sessions still to come; one that would double-book them is skipped. */
  static final String JOIN_COHORT_SESSIONS = """
    INSERT INTO schedule_attendees (schedule_id, student_id, start_time, end_time)
    SELECT s.id, #{studentId}, s.start_time, s.end_time FROM schedules s
    WHERE s.cohort_id = #{cohortId} AND s.is_group_session AND s.status = 'scheduled' AND s.start_time > now()
    ON CONFLICT DO NOTHING""";

  static final String STUDENTS_OF_SCHEDULE = "SELECT student_id FROM schedule_attendees WHERE schedule_id = #{id}";

  /** Visible to the caller: admins all, mentors their own, students those they attend. */
  static final String VISIBLE = """
    (#{role} = 'admin' OR (#{role} = 'mentor' AND s.mentor_id = #{userId})
      OR (#{role} = 'student' AND EXISTS (SELECT 1 FROM schedule_attendees a WHERE a.schedule_id = s.id AND a.student_id = #{userId})))""";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM schedules s WHERE s.id = #{id} AND " + VISIBLE;

  static final String LIST = "SELECT " + COLUMNS + " FROM schedules s WHERE " + VISIBLE + " " + """
     AND (#{from}::timestamptz IS NULL OR s.end_time > #{from})
     AND (#{to}::timestamptz IS NULL OR s.start_time < #{to})
     AND (#{status}::text IS NULL OR s.status = #{status})
     AND (#{mentorId}::bigint IS NULL OR s.mentor_id = #{mentorId})
     AND (#{studentId}::bigint IS NULL OR EXISTS (SELECT 1 FROM schedule_attendees a WHERE a.schedule_id = s.id AND a.student_id = #{studentId}))
    ORDER BY s.start_time, s.id
    LIMIT #{limit}""";

  /**
   * The session a command changes, locked until the command commits so concurrent commands on it run one after
   * the other; {@code started}/{@code ended} use the database clock, the same on every node.
   */
  static final String LOCK_BY_ID = "SELECT " + COLUMNS + """
    , s.start_time <= now() AS started, s.end_time <= now() AS ended
    FROM schedules s WHERE s.id = #{id} AND """ + " " + VISIBLE + " FOR UPDATE OF s";

  /** Attendees of some sessions; a student reads only their own row ({@code role}/{@code userId} as VISIBLE). */
  static final String ATTENDEES = """
    SELECT schedule_id, student_id, attendance, marked_at FROM schedule_attendees
    WHERE schedule_id = ANY(#{ids}) AND (#{role} <> 'student' OR student_id = #{userId})
    ORDER BY schedule_id, student_id""";

  static final String UPDATE_DETAILS = """
    UPDATE schedules s SET title = #{title}, description = #{description}, focus_stack = #{focusStack},
      start_time = #{startTime}, end_time = #{endTime}, updated_at = now()
    WHERE s.id = #{id}
    RETURNING""" + " " + COLUMNS;

  /** The attendees' copy of the time must move with the session, or the student no-overlap rule would go stale. */
  static final String SYNC_ATTENDEE_TIMES = """
    UPDATE schedule_attendees SET start_time = #{startTime}, end_time = #{endTime} WHERE schedule_id = #{id}""";

  static final String SET_STATUS = """
    UPDATE schedules s SET status = #{status}, updated_at = now() WHERE s.id = #{id}
    RETURNING""" + " " + COLUMNS;

  /** A cancelled session frees its students' time (the student exclusion constraint only counts active rows). */
  static final String DEACTIVATE_ATTENDEES = "UPDATE schedule_attendees SET active = false WHERE schedule_id = #{id}";

  static final String MARK_ATTENDANCE = """
    UPDATE schedule_attendees SET attendance = #{attendance}, marked_at = now()
    WHERE schedule_id = #{id} AND student_id = #{studentId}""";

  static final String USER_NAME = "SELECT name FROM users WHERE id = #{id}";

  /** Only cancelled sessions are removed (attendees cascade); see docs/schedules.md. */
  static final String DELETE = "DELETE FROM schedules WHERE id = #{id} AND status = 'cancelled'";

  static final RowMapper<JsonObject> SCHEDULE = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("mentorId", row.getLong("mentor_id"))
    .put("studentId", row.getLong("student_id"))
    .put("cohortId", row.getLong("cohort_id"))
    .put("title", row.getString("title"))
    .put("description", row.getString("description"))
    .put("startTime", utc(row, "start_time"))
    .put("endTime", utc(row, "end_time"))
    .put("focusStack", row.getString("focus_stack"))
    .put("status", row.getString("status"))
    .put("isGroupSession", row.getBoolean("is_group_session"))
    .put("createdAt", utc(row, "created_at"))
    .put("updatedAt", utc(row, "updated_at"));

  static final RowMapper<JsonObject> ATTENDEE = row -> new JsonObject()
    .put("studentId", row.getLong("student_id"))
    .put("attendance", row.getString("attendance"))
    .put("markedAt", utc(row, "marked_at"));

  private ScheduleSql() {
  }
}
