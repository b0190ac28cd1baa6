package edu.mentoring.portal.tasks;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

import static edu.mentoring.portal.common.Times.utc;

/** All SQL of tasks and their assignees, and the row mappers. */
final class TaskSql {
  static final String COLUMNS = """
    t.id, t.mentor_id, t.student_id, t.cohort_id, t.title, t.description, t.due_at, t.status, t.created_at,
    t.updated_at""";

  /** A cohort task's assignees are written just after commit ({@link #ADD_ASSIGNEES}); a student task's at once. */
  static final String INSERT = """
    INSERT INTO tasks AS t (mentor_id, student_id, cohort_id, title, description, due_at, assignees_added_at)
    VALUES (#{mentorId}, #{studentId}, #{cohortId}, #{title}, #{description}, #{dueAt},
            CASE WHEN #{cohortId}::bigint IS NULL THEN now() END)
    RETURNING""" + " " + COLUMNS;

  /** Who made a move, for the words of its notification. */
  static final String USER_NAME = "SELECT name FROM users WHERE id = #{id}";

  static final String INSERT_ASSIGNEE = "INSERT INTO task_assignees (task_id, student_id) VALUES (#{taskId}, #{studentId})";

  /** A cohort task's assignees: the cohort's members now; once (the stamp makes a second run add nothing). */
  static final String ADD_ASSIGNEES = """
    WITH taken AS (
      UPDATE tasks SET assignees_added_at = now() WHERE id = #{id} AND assignees_added_at IS NULL
      RETURNING id, cohort_id)
    INSERT INTO task_assignees (task_id, student_id)
    SELECT taken.id, u.id FROM taken JOIN users u ON u.cohort_id = taken.cohort_id AND u.role = 'student'
    ON CONFLICT DO NOTHING""";

  /** Cohort tasks committed a while ago whose assignees were never written (their node died in between). */
  static final String ASSIGNEES_PENDING = """
    SELECT id, cohort_id FROM tasks
    WHERE assignees_added_at IS NULL AND created_at < now() - interval '2 seconds' ORDER BY id LIMIT 50""";

  /** How many a cohort task is for: its cohort's students now (its assignee rows follow the event). */
  static final String MEMBER_COUNT =
    "SELECT count(*) AS n FROM users WHERE cohort_id = #{cohortId} AND role = 'student'";

  /**
   * Visible to the caller: admins all, mentors the tasks they created, students those they are assigned — and,
   * in the moment between a cohort task's commit and its assignees, the cohort's members.
   */
  static final String VISIBLE = """
    (#{role} = 'admin' OR (#{role} = 'mentor' AND t.mentor_id = #{userId})
      OR (#{role} = 'student' AND (EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.student_id = #{userId})
        OR (t.assignees_added_at IS NULL AND t.cohort_id = (SELECT u.cohort_id FROM users u WHERE u.id = #{userId})))))""";

  /**
   * Locks the task: every status change of a task (and of its assignees) is serialised on this row. NO KEY: the
   * foreign-key share locks of its assignee rows being written are not held up.
   */
  static final String LOCK_VISIBLE = "SELECT " + COLUMNS + ", t.assignees_added_at IS NULL AS assignees_pending"
    + " FROM tasks t WHERE t.id = #{id} AND " + VISIBLE + " FOR NO KEY UPDATE OF t";

  static final String LIST = "SELECT " + COLUMNS + " FROM tasks t WHERE " + VISIBLE + " " + """
     AND (#{status}::text IS NULL OR t.status = #{status})
     AND (#{cohortId}::bigint IS NULL OR t.cohort_id = #{cohortId})
     AND (#{studentId}::bigint IS NULL OR EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.student_id = #{studentId}))
    ORDER BY t.id DESC
    LIMIT #{limit}""";

  /** Assignees of some tasks; {@code onlyStudent} narrows them to one student (what a student may see). */
  static final String ASSIGNEES = """
    SELECT task_id, student_id, status, completed_at FROM task_assignees
    WHERE task_id = ANY(#{ids}) AND (#{onlyStudent}::bigint IS NULL OR student_id = #{onlyStudent})
    ORDER BY task_id, student_id""";

  static final String UPDATE_ASSIGNEE = """
    UPDATE task_assignees SET status = #{status}::text,
      completed_at = CASE WHEN #{status}::text = 'done' THEN now() END, updated_at = now()
    WHERE task_id = #{taskId} AND student_id = #{studentId}""";

  /**
   * The task's status follows its assignees' progress: done when every assignee is done, in progress once anyone
   * has started, else open. (A task without assignees stays open.)
   */
  static final String DERIVE_STATUS = """
    UPDATE tasks AS t SET status = d.status, updated_at = now()
    FROM (SELECT CASE WHEN count(*) > 0 AND bool_and(a.status = 'done') THEN 'done'
                      WHEN bool_or(a.status <> 'open') THEN 'in_progress'
                      ELSE 'open' END AS status
          FROM task_assignees a WHERE a.task_id = #{id}) d
    WHERE t.id = #{id}
    RETURNING""" + " " + COLUMNS;

  static final String CANCEL = "UPDATE tasks AS t SET status = 'cancelled', updated_at = now() WHERE t.id = #{id}"
    + " RETURNING " + COLUMNS;

  static final RowMapper<JsonObject> TASK = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("mentorId", row.getLong("mentor_id"))
    .put("studentId", row.getLong("student_id"))
    .put("cohortId", row.getLong("cohort_id"))
    .put("title", row.getString("title"))
    .put("description", row.getString("description"))
    .put("dueAt", utc(row, "due_at"))
    .put("status", row.getString("status"))
    .put("createdAt", utc(row, "created_at"))
    .put("updatedAt", utc(row, "updated_at"));

  private TaskSql() {
  }
}
