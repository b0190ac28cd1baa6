package edu.mentoring.portal.notifications;

/**
 * All SQL of notifications. Every statement is scoped by {@code user_id} (nobody touches another's) or by the event
 * that creates them; the public ones run inside the transaction of the command whose event it is (events/Outbox).
 */
public final class NotificationSql {
  static final String COLUMNS = "id, type, title, body, event_id, read_at, created_at";

  /**
   * Serialises one user's notification changes on their counter row (created if missing), so the unread count each
   * change reports is the count after exactly that change; the fan-out's inserts update the same row.
   */
  static final String LOCK_USER = """
    INSERT INTO notification_counts AS c (user_id) VALUES (#{userId})
    ON CONFLICT (user_id) DO UPDATE SET unread = c.unread""";

  static final String LIST = "SELECT " + COLUMNS + " FROM notifications WHERE user_id = #{userId}" + """
     AND (#{unread}::boolean IS NULL OR (read_at IS NULL) = #{unread})
     AND (#{type}::text IS NULL OR type = #{type})
     AND (#{before}::bigint IS NULL OR id < #{before})
    ORDER BY id DESC
    LIMIT #{limit}""";

  /** Kept by the database (triggers on notifications, V3): never a count over a growing inbox. */
  static final String UNREAD_COUNT =
    "SELECT COALESCE((SELECT unread FROM notification_counts WHERE user_id = #{userId}), 0)::bigint AS unread";

  static final String READ_AT = "SELECT read_at FROM notifications WHERE id = #{id} AND user_id = #{userId}";

  /** Only an unread one changes: marking it again keeps its first read time. */
  static final String MARK_READ =
    "UPDATE notifications SET read_at = now() WHERE id = #{id} AND user_id = #{userId} AND read_at IS NULL";

  static final String MARK_ALL_READ =
    "UPDATE notifications SET read_at = now() WHERE user_id = #{userId} AND read_at IS NULL";

  static final String DELETE = "DELETE FROM notifications WHERE id = #{id} AND user_id = #{userId}";

  static final String CLEAR = "DELETE FROM notifications WHERE user_id = #{userId}";

  /** How far the fan-out has gone (locked: one fan-out at a time, whatever a split brain does), and the newest id. */
  static final String FANOUT_CURSOR = """
    SELECT c.position, (SELECT COALESCE(max(id), 0) FROM activity_feed) AS head
    FROM event_cursors c WHERE c.name = 'notified' FOR UPDATE""";

  /**
   * Every notification of the events in {@code (after, upTo]}, in one statement: each group of an event's
   * {@code notify} names users, or a cohort (its students now). Only existing users, each once per group. Run with
   * the cursor locked and moved in the same transaction: a batch is done once. The insert trigger moves the
   * recipients' unread counts. One row per group of the same text: its recipients and their notifications' ids.
   */
  static final String FAN_OUT = """
    WITH added AS (
      INSERT INTO notifications (user_id, type, title, body, event_id)
      SELECT r.user_id, f.event_type, g.value ->> 'title', g.value ->> 'body', f.id
      FROM activity_feed f
        CROSS JOIN LATERAL jsonb_array_elements(f.notify) g
        CROSS JOIN LATERAL (
          SELECT u.id AS user_id FROM users u
          WHERE u.id = ANY(ARRAY(SELECT jsonb_array_elements_text(g.value -> 'users')::bigint))
          UNION
          SELECT u.id FROM users u WHERE u.role = 'student' AND u.cohort_id = (g.value ->> 'cohort')::bigint) r
      WHERE f.id > #{after} AND f.id <= #{upTo} AND f.notify IS NOT NULL
      ORDER BY f.id, r.user_id
      RETURNING id, user_id, type, title, body, event_id, created_at)
    SELECT event_id, type, title, body, created_at, array_agg(user_id ORDER BY id) AS users,
           array_agg(id ORDER BY id) AS ids
    FROM added GROUP BY event_id, type, title, body, created_at ORDER BY event_id""";

  /** Never backwards (a fan-out that waited on the cursor's lock may have read an older head). */
  static final String MOVE_FANOUT_CURSOR =
    "UPDATE event_cursors SET position = GREATEST(position, #{upTo}) WHERE name = 'notified'";

  /** The recipients' counts after the fan-out's insert (its trigger moved them), as two arrays: one row. */
  static final String UNREAD_COUNTS = """
    SELECT array_agg(user_id) AS users, array_agg(unread::bigint) AS unread
    FROM notification_counts WHERE user_id = ANY(#{userIds})""";

  private NotificationSql() {
  }
}
