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

  static final String IS_MENTOR = "SELECT 1 FROM users WHERE id = #{id} AND role = 'mentor'";

  /** Whether the student is one of the mentor's (assigned, or in a cohort the mentor mentors). */
  static final String MENTORS_STUDENT = """
    SELECT 1 FROM users u WHERE u.id = #{studentId} AND u.role = 'student' AND (u.mentor_id = #{mentorId}
      OR u.cohort_id IN (SELECT cohort_id FROM cohort_mentors WHERE mentor_id = #{mentorId}))""";

  static final String MENTORS_COHORT = "SELECT 1 FROM cohort_mentors WHERE cohort_id = #{cohortId} AND mentor_id = #{mentorId}";

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

  private ScheduleSql() {
  }
}
