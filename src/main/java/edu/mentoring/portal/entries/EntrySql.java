package edu.mentoring.portal.entries;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

import static edu.mentoring.portal.common.Times.utc;

/** All SQL of learning entries and their comments, and the row mappers. */
final class EntrySql {
  static final String COLUMNS = """
    e.id, e.student_id, e.title, e.content, e.focus_stack, e.status, e.submitted_at, e.created_at, e.updated_at,
    (SELECT count(*) FROM entry_comments c WHERE c.entry_id = e.id) AS comment_count""";

  /**
   * Who may see an entry: admins all; a student their own; a mentor those of their students (assigned to them, or
   * in a cohort they mentor). Everything else is "not found".
   */
  static final String VISIBLE = """
    (#{role} = 'admin'
      OR (#{role} = 'student' AND e.student_id = #{userId})
      OR (#{role} = 'mentor' AND EXISTS (SELECT 1 FROM users u WHERE u.id = e.student_id AND (u.mentor_id = #{userId}
            OR u.cohort_id IN (SELECT cm.cohort_id FROM cohort_mentors cm WHERE cm.mentor_id = #{userId})))))""";

  static final String INSERT = """
    INSERT INTO learning_entries AS e (student_id, title, content, focus_stack)
    VALUES (#{studentId}, #{title}, #{content}, #{focusStack})
    RETURNING""" + " " + COLUMNS;

  static final String BY_ID = "SELECT " + COLUMNS + " FROM learning_entries e WHERE e.id = #{id} AND " + VISIBLE;

  /** The row lock serialises concurrent edits and transitions of one entry. */
  static final String BY_ID_FOR_UPDATE = BY_ID + " FOR UPDATE OF e";

  static final String UPDATE = """
    UPDATE learning_entries AS e SET title = #{title}, content = #{content}, focus_stack = #{focusStack},
      updated_at = now()
    WHERE e.id = #{id}
    RETURNING""" + " " + COLUMNS;

  /** submitted_at records the latest submission (a resubmission after needs_revision moves it). */
  static final String SET_STATUS = """
    UPDATE learning_entries AS e SET status = #{status}, updated_at = now(),
      submitted_at = CASE WHEN #{status} = 'submitted' THEN now() ELSE e.submitted_at END
    WHERE e.id = #{id}
    RETURNING""" + " " + COLUMNS;

  static final String LIST = "SELECT " + COLUMNS + " FROM learning_entries e WHERE " + VISIBLE + " " + """
     AND (#{status}::text IS NULL OR e.status = #{status})
     AND (#{studentId}::bigint IS NULL OR e.student_id = #{studentId})
     AND (#{before}::bigint IS NULL OR e.id < #{before})
    ORDER BY e.id DESC
    LIMIT #{limit}""";

  /** The mentors of a student: the assigned one and those of their cohort (the rooms and recipients of events). */
  static final String MENTORS_OF_STUDENT = """
    SELECT mentor_id FROM users WHERE id = #{studentId} AND mentor_id IS NOT NULL
    UNION SELECT cm.mentor_id FROM cohort_mentors cm JOIN users u ON u.cohort_id = cm.cohort_id WHERE u.id = #{studentId}
    ORDER BY mentor_id""";

  static final String COMMENT_COLUMNS = """
    c.id, c.entry_id, c.parent_id, c.author_id, u.name AS author_name, u.role AS author_role, c.body, c.created_at""";

  static final String INSERT_COMMENT = """
    WITH c AS (
      INSERT INTO entry_comments (entry_id, author_id, body, parent_id) VALUES (#{entryId}, #{authorId}, #{body}, #{parentId})
      RETURNING id, entry_id, parent_id, author_id, body, created_at)
    SELECT""" + " " + COMMENT_COLUMNS + " FROM c JOIN users u ON u.id = c.author_id";

  /** A reply answers a top-level comment of the same entry. */
  static final String REPLY_TARGET = "SELECT 1 FROM entry_comments WHERE id = #{parentId} AND entry_id = #{entryId}"
    + " AND parent_id IS NULL";

  static final String COMMENTS_OF_ENTRY = "SELECT " + COMMENT_COLUMNS + " " + """
    FROM entry_comments c JOIN users u ON u.id = c.author_id
    WHERE c.entry_id = #{entryId}
    ORDER BY c.id""";

  static final RowMapper<JsonObject> ENTRY = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("studentId", row.getLong("student_id"))
    .put("title", row.getString("title"))
    .put("content", row.getString("content"))
    .put("focusStack", row.getString("focus_stack"))
    .put("status", row.getString("status"))
    .put("submittedAt", utc(row, "submitted_at"))
    .put("createdAt", utc(row, "created_at"))
    .put("updatedAt", utc(row, "updated_at"))
    .put("commentCount", row.getLong("comment_count"));

  static final RowMapper<JsonObject> COMMENT = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("entryId", row.getLong("entry_id"))
    .put("parentId", row.getLong("parent_id"))
    .put("authorId", row.getLong("author_id"))
    .put("authorName", row.getString("author_name"))
    .put("authorRole", row.getString("author_role"))
    .put("body", row.getString("body"))
    .put("createdAt", utc(row, "created_at"));

  private EntrySql() {
  }
}
