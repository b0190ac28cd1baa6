package edu.mentoring.portal.metrics;

/**
 * All SQL of the dashboard: a few aggregate queries over the whole product's tables. {@code #{mentorId}} null means
 * the admin's scope (everything); a mentor's scope is their students (assigned, or in a cohort they mentor — the
 * rule of AccountSql.STUDENTS_OF_MENTOR) and the sessions they run.
 */
final class MetricsSql {
  /** The two queries of a snapshot read one consistent state of the database. */
  static final String CONSISTENT_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  /** The scope's students after {@code afterId}, at most {@code limit} (a snapshot reads them a slice at a time). */
  private static final String SCOPE = """
    scope AS (
      SELECT u.id, u.name FROM users u
      WHERE u.role = 'student' AND (#{mentorId}::bigint IS NULL OR u.mentor_id = #{mentorId}
        OR u.cohort_id IN (SELECT cm.cohort_id FROM cohort_mentors cm WHERE cm.mentor_id = #{mentorId}))
        AND u.id > #{afterId}
      ORDER BY u.id LIMIT #{limit})""";

  /** The scope's sessions: all for the admin, the mentor's own otherwise. */
  private static final String SESSIONS = """
    sessions AS (
      SELECT s.id, s.status FROM schedules s WHERE #{mentorId}::bigint IS NULL OR s.mentor_id = #{mentorId})""";

  /**
   * One row per student of a slice of the scope (id order): entries per status, progress on tasks that are not cancelled,
   * and their attendee rows in the scope's sessions (attendance of cancelled sessions does not count).
   */
  static final String PER_STUDENT = "WITH " + SCOPE + ",\n" + SESSIONS + ",\n" + """
    entry_counts AS (
      SELECT e.student_id,
             count(*) FILTER (WHERE e.status = 'draft') AS draft,
             count(*) FILTER (WHERE e.status = 'submitted') AS submitted,
             count(*) FILTER (WHERE e.status = 'in_review') AS in_review,
             count(*) FILTER (WHERE e.status = 'approved') AS approved,
             count(*) FILTER (WHERE e.status = 'needs_revision') AS needs_revision
      FROM learning_entries e JOIN scope ON scope.id = e.student_id
      GROUP BY e.student_id),
    task_counts AS (
      SELECT ta.student_id,
             count(*) FILTER (WHERE ta.status IN ('open', 'in_progress')) AS open,
             count(*) FILTER (WHERE ta.status = 'done') AS done
      FROM task_assignees ta JOIN tasks t ON t.id = ta.task_id JOIN scope ON scope.id = ta.student_id
      WHERE t.status <> 'cancelled'
      GROUP BY ta.student_id),
    session_counts AS (
      SELECT a.student_id,
             count(*) FILTER (WHERE s.status = 'completed') AS completed,
             count(*) FILTER (WHERE s.status = 'scheduled') AS upcoming,
             count(*) FILTER (WHERE s.status <> 'cancelled' AND a.attendance = 'attended') AS attended,
             count(*) FILTER (WHERE s.status <> 'cancelled' AND a.attendance = 'absent') AS absent
      FROM schedule_attendees a JOIN sessions s ON s.id = a.schedule_id JOIN scope ON scope.id = a.student_id
      GROUP BY a.student_id)
    SELECT scope.id, scope.name,
           COALESCE(ec.draft, 0) AS draft, COALESCE(ec.submitted, 0) AS submitted,
           COALESCE(ec.in_review, 0) AS in_review, COALESCE(ec.approved, 0) AS approved,
           COALESCE(ec.needs_revision, 0) AS needs_revision,
           COALESCE(tc.open, 0) AS tasks_open, COALESCE(tc.done, 0) AS tasks_done,
           COALESCE(sc.completed, 0) AS sessions_completed, COALESCE(sc.upcoming, 0) AS sessions_upcoming,
           COALESCE(sc.attended, 0) AS attended, COALESCE(sc.absent, 0) AS absent
    FROM scope
      LEFT JOIN entry_counts ec ON ec.student_id = scope.id
      LEFT JOIN task_counts tc ON tc.student_id = scope.id
      LEFT JOIN session_counts sc ON sc.student_id = scope.id
    ORDER BY scope.id""";

  /**
   * The scope's sessions by status, and attendance over all their marked attendees (also students who have left
   * the mentor since): {@code upcoming} is every session still {@code scheduled}.
   */
  static final String SESSION_TOTALS = "WITH " + SESSIONS + "\n" + """
    SELECT (SELECT count(*) FROM sessions WHERE status = 'scheduled') AS upcoming,
           (SELECT count(*) FROM sessions WHERE status = 'completed') AS completed,
           (SELECT count(*) FROM sessions WHERE status = 'missed') AS missed,
           (SELECT count(*) FROM sessions WHERE status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE a.attendance = 'attended') AS attended,
           count(*) FILTER (WHERE a.attendance = 'absent') AS absent
    FROM schedule_attendees a JOIN sessions s ON s.id = a.schedule_id
    WHERE s.status <> 'cancelled'""";

  /** The mentors whose scope contains one of these students or cohorts (rooms of an event → mentors to refresh). */
  static final String MENTORS_OF = """
    SELECT u.mentor_id FROM users u WHERE u.id = ANY(#{studentIds}) AND u.mentor_id IS NOT NULL
    UNION SELECT cm.mentor_id FROM cohort_mentors cm JOIN users u ON u.cohort_id = cm.cohort_id
      WHERE u.id = ANY(#{studentIds})
    UNION SELECT cm.mentor_id FROM cohort_mentors cm WHERE cm.cohort_id = ANY(#{cohortIds})""";

  static final String ALL_MENTORS = "SELECT id AS mentor_id FROM users WHERE role = 'mentor'";

  /** Session-level: held as long as the flusher's dedicated connection lives (pg_try_: never waits). */
  static final String TRY_LOCK = "SELECT pg_try_advisory_lock(" + DashboardMetrics.LOCK_KEY + ") AS locked";

  static final String PING = "SELECT 1";

  private MetricsSql() {
  }
}
