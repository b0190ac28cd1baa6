package edu.mentoring.portal.notifications;

/**
 * All SQL of notifications. Every statement is scoped by {@code user_id} (nobody touches another's) or by the event
 * that creates them; the public ones run inside the transaction of the command whose event it is (events/Outbox).
 */
public final class NotificationSql {
  static final String COLUMNS = "id, type, title, body, event_id, read_at, created_at";

  /**
   * Serialises one user's notification changes (and the inserts events make for them, whose foreign key takes a
   * share lock on the same row), so the unread count each change reports is the count after exactly that change.
   */
  static final String LOCK_USER = "SELECT 1 FROM users WHERE id = #{userId} FOR UPDATE";

  static final String LIST = "SELECT " + COLUMNS + " FROM notifications WHERE user_id = #{userId}" + """
     AND (#{unread}::boolean IS NULL OR (read_at IS NULL) = #{unread})
     AND (#{type}::text IS NULL OR type = #{type})
     AND (#{before}::bigint IS NULL OR id < #{before})
    ORDER BY id DESC
    LIMIT #{limit}""";

  static final String UNREAD_COUNT =
    "SELECT count(*) AS unread FROM notifications WHERE user_id = #{userId} AND read_at IS NULL";

  static final String READ_AT = "SELECT read_at FROM notifications WHERE id = #{id} AND user_id = #{userId}";

  /** Only an unread one changes: marking it again keeps its first read time. */
  static final String MARK_READ =
    "UPDATE notifications SET read_at = now() WHERE id = #{id} AND user_id = #{userId} AND read_at IS NULL";

  static final String MARK_ALL_READ =
    "UPDATE notifications SET read_at = now() WHERE user_id = #{userId} AND read_at IS NULL";

  static final String DELETE = "DELETE FROM notifications WHERE id = #{id} AND user_id = #{userId}";

  static final String CLEAR = "DELETE FROM notifications WHERE user_id = #{userId}";

  /** Runs right after the event's own insert in the same transaction, so the newest event id is that event's. */
  public static final String CREATE_FOR_EVENT = """
    INSERT INTO notifications (user_id, type, title, body, event_id)
    SELECT u.id, #{type}, #{title}, #{body}, (SELECT max(id) FROM activity_feed) FROM users u WHERE u.id = #{userId}
    RETURNING id, user_id, type, title, body, event_id, read_at, created_at""";

  public static final String UNREAD_COUNTS = """
    SELECT user_id, count(*) AS unread FROM notifications WHERE read_at IS NULL AND user_id = ANY(#{userIds})
    GROUP BY user_id""";

  public static final String OF_EVENTS = "SELECT " + COLUMNS + ", user_id FROM notifications"
    + " WHERE event_id = ANY(#{ids}) ORDER BY id";

  private NotificationSql() {
  }
}
