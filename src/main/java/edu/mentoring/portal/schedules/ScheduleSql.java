package edu.mentoring.portal.schedules;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

import static edu.mentoring.portal.common.Times.utc;

/** All SQL of schedules and their attendees, and the row mapper. */
final class ScheduleSql {
  static final String COLUMNS = """
    s.id, s.mentor_id, s.student_id, s.cohort_id, s.title, s.description, s.start_time, s.end_time, s.focus_stack,
    s.status, s.is_group_session, s.created_at, s.updated_at""";

  /** A group session's roll is taken just after commit ({@link #ADD_ROLL}); a 1:1's one attendee at once. */
  static final String INSERT = """
    INSERT INTO schedules AS s (mentor_id, student_id, cohort_id, title, description, start_time, end_time, focus_stack,
                           is_group_session, attendees_added_at)
    VALUES (#{mentorId}, #{studentId}, #{cohortId}, #{title}, #{description}, #{startTime}, #{endTime}, #{focusStack},
            #{isGroupSession}, CASE WHEN #{isGroupSession} THEN NULL ELSE now() END)
    RETURNING""" + " " + COLUMNS;

  /**
   * A 1:1's claim on its student's time, keyed by the student's cohort now. The student's row is share-locked: a
   * cohort move in flight (which re-keys the student's claims) finishes first, and one that starts waits for this.
   */
  static final String CLAIM_STUDENT = """
    INSERT INTO session_claims (schedule_id, cohort_key, student_id, students, during)
    SELECT #{scheduleId}, COALESCE(u.cohort_id, 0), u.id, int8multirange(int8range(u.id, u.id + 1)),
           tstzrange(#{startTime}, #{endTime})
    FROM users u WHERE u.id = #{studentId}
    FOR SHARE""";

  /** A group session's claim on every member of its cohort: one row, however large the cohort. */
  static final String CLAIM_COHORT = """
    INSERT INTO session_claims (schedule_id, cohort_key, students, during)
    VALUES (#{scheduleId}, #{cohortId}, int8multirange(int8range(NULL, NULL)), tstzrange(#{startTime}, #{endTime}))""";

  static final String INSERT_ATTENDEE =
    "INSERT INTO schedule_attendees (schedule_id, student_id) VALUES (#{scheduleId}, #{studentId})";

  /**
   * A group session's roll: the cohort's members now, but those excused by its claim; once (the stamp makes a
   * second run add nothing).
   */
  static final String ADD_ROLL = """
    WITH taken AS (
      UPDATE schedules SET attendees_added_at = now() WHERE id = #{id} AND attendees_added_at IS NULL
      RETURNING id, cohort_id)
    INSERT INTO schedule_attendees (schedule_id, student_id)
    SELECT taken.id, u.id FROM taken
      JOIN users u ON u.cohort_id = taken.cohort_id AND u.role = 'student'
      JOIN session_claims c ON c.schedule_id = taken.id AND c.students @> u.id
    ON CONFLICT DO NOTHING""";

  /** Group sessions whose roll a node committed but did not take (it died in between). */
  static final String ROLLS_PENDING = """
    SELECT id, cohort_id FROM schedules
    WHERE attendees_added_at IS NULL AND created_at < now() - interval '2 seconds' ORDER BY id LIMIT 50""";

  /** A student leaving a cohort: out of its sessions still to come, unless their attendance was already marked. */
  static final String LEAVE_COHORT_SESSIONS = """
    DELETE FROM schedule_attendees a USING schedules s
    WHERE a.schedule_id = s.id AND a.student_id = #{studentId} AND s.cohort_id = #{cohortId}
      AND s.status = 'scheduled' AND s.start_time > now() AND a.attendance = 'pending'""";

  /**
   * A student joining a cohort is excused from its sessions that clash with their own 1:1 sessions (not yet over):
   * the move never fails for it, and the student is never double-booked.
   */
  static final String EXCUSE_CLASHES = """
    UPDATE session_claims g SET students = g.students - int8multirange(int8range(#{studentId}, #{studentId} + 1))
    WHERE g.cohort_key = #{cohortId} AND g.student_id IS NULL AND g.active AND g.students @> #{studentId}::bigint
      AND EXISTS (SELECT 1 FROM session_claims o WHERE o.student_id = #{studentId} AND o.active
                  AND o.during && g.during AND upper(o.during) > now())""";

  /** The student's 1:1 claims not yet over move under their new cohort (0: none). */
  static final String REKEY_CLAIMS = """
    UPDATE session_claims SET cohort_key = #{cohortKey} WHERE student_id = #{studentId} AND upper(during) > now()""";

  /** A student joining a cohort: into its sessions still to come, but those they are excused from. */
  static final String JOIN_COHORT_SESSIONS = """
    INSERT INTO schedule_attendees (schedule_id, student_id)
    SELECT s.id, #{studentId} FROM schedules s JOIN session_claims c ON c.schedule_id = s.id
    WHERE s.cohort_id = #{cohortId} AND s.is_group_session AND s.status = 'scheduled' AND s.start_time > now()
      AND c.students @> #{studentId}::bigint
    ON CONFLICT DO NOTHING""";

  /**
   * Visible to the caller: admins all, mentors their own, students those they attend — and, in the moment between
   * a group session's commit and its roll, the members its claim covers.
   */
  static final String VISIBLE = """
    (#{role} = 'admin' OR (#{role} = 'mentor' AND s.mentor_id = #{userId})
      OR (#{role} = 'student' AND (EXISTS (SELECT 1 FROM schedule_attendees a WHERE a.schedule_id = s.id AND a.student_id = #{userId})
        OR (s.attendees_added_at IS NULL AND s.cohort_id = (SELECT u.cohort_id FROM users u WHERE u.id = #{userId})
          AND EXISTS (SELECT 1 FROM session_claims c WHERE c.schedule_id = s.id AND c.students @> #{userId}::bigint)))))""";

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
   * the other; {@code started}/{@code ended} use the database clock, the same on every node. NO KEY: a cohort move
   * adding the session's attendees (a foreign-key share lock) is not held up by it.
   */
  static final String LOCK_BY_ID = "SELECT " + COLUMNS + """
    , s.start_time <= now() AS started, s.end_time <= now() AS ended, s.attendees_added_at IS NULL AS roll_pending
    FROM schedules s WHERE s.id = #{id} AND """ + " " + VISIBLE + " FOR NO KEY UPDATE OF s";

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

  /** The claim moves with the session: a new time that clashes for a student (or the cohort) is refused. */
  static final String MOVE_CLAIM = """
    UPDATE session_claims SET during = tstzrange(#{startTime}, #{endTime}) WHERE schedule_id = #{id}""";

  static final String SET_STATUS = """
    UPDATE schedules s SET status = #{status}, updated_at = now() WHERE s.id = #{id}
    RETURNING""" + " " + COLUMNS;

  /** A cancelled session frees its students' time (the claims' exclusion constraint only counts active claims). */
  static final String RELEASE_CLAIM = "UPDATE session_claims SET active = false WHERE schedule_id = #{id}";

  static final String MARK_ATTENDANCE = """
    UPDATE schedule_attendees SET attendance = #{attendance}, marked_at = now()
    WHERE schedule_id = #{id} AND student_id = #{studentId}""";

  static final String USER_NAME = "SELECT name FROM users WHERE id = #{id}";

  /** The people a session is for, by id, for explaining a clash: its one student, or its cohort's members. */
  static final String COHORT_MEMBERS = "SELECT id FROM users WHERE cohort_id = #{cohortId} AND role = 'student'";

  /** Who and where a session stands: what a clash is explained against when only its id is known (PUT). */
  static final String PLACE = "SELECT mentor_id, student_id, cohort_id, start_time, end_time FROM schedules WHERE id = #{id}";

  /** Sessions that are not cancelled, overlap the time and share its mentor or one of its students. */
  private static final String BUSY = """
    SELECT s.id, s.title, s.mentor_id, s.start_time, s.end_time FROM schedules s
    WHERE s.status <> 'cancelled' AND s.id <> #{selfId}
      AND (s.mentor_id = #{mentorId}
        OR EXISTS (SELECT 1 FROM schedule_attendees a WHERE a.schedule_id = s.id AND a.student_id = ANY(#{students})))""";

  /** What a refused time clashes with (at most 5), and which of the session's students each one holds. */
  static final String CLASHES = "SELECT b.*, (SELECT array_agg(u.name ORDER BY u.name) FROM schedule_attendees a"
    + " JOIN users u ON u.id = a.student_id WHERE a.schedule_id = b.id AND a.student_id = ANY(#{students})) AS names"
    + " FROM (" + BUSY + " AND tstzrange(s.start_time, s.end_time) && tstzrange(#{start}, #{end})) b"
    + " ORDER BY b.start_time, b.id LIMIT 5";

  /**
   * The earliest start from the asked one on (within two weeks) at which a session of the same length is free for
   * the mentor and every student: the asked start, or the end of one of their sessions.
   */
  static final String NEXT_FREE = "WITH busy AS (" + BUSY + """
       AND s.end_time > #{start} AND s.start_time < #{start}::timestamptz + interval '14 days')
    SELECT min(c.t) AS next FROM (SELECT #{start}::timestamptz AS t UNION ALL SELECT end_time FROM busy) c
    WHERE NOT EXISTS (SELECT 1 FROM busy b
      WHERE tstzrange(b.start_time, b.end_time) && tstzrange(c.t, c.t + make_interval(secs => #{seconds}::float8)))""";

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
