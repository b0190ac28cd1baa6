package edu.mentoring.portal.accounts;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

import static edu.mentoring.portal.common.Times.utc;

/** The SQL of an admin's user management: the directory, deactivation, one-time password links. */
final class UserAdminSql {
  static final String COLUMNS = AccountSql.USER_COLUMNS + ", deactivated_at";

  static final String DEACTIVATED_IDS = "SELECT id FROM users WHERE deactivated_at IS NOT NULL";

  /** Newest first; {@code q} matches name or email, case-insensitively. */
  static final String LIST = "SELECT " + COLUMNS + " FROM users WHERE" + """
     (#{role}::text IS NULL OR role = #{role})
     AND (#{q}::text IS NULL OR name ILIKE '%' || #{q} || '%' OR email ILIKE '%' || #{q} || '%')
     AND (#{status}::text IS NULL OR (#{status} = 'active') = (deactivated_at IS NULL))
     AND id < #{before}
    ORDER BY id DESC LIMIT #{limit}""";

  static final String LOCK = "SELECT " + COLUMNS + " FROM users WHERE id = #{id} FOR NO KEY UPDATE";

  static final String SET_ACTIVE = "UPDATE users SET deactivated_at = CASE WHEN #{active} THEN NULL ELSE now() END,"
    + " updated_at = now() WHERE id = #{id} RETURNING " + COLUMNS;

  /**
   * Active admins other than this one, locked: two admins deactivating each other at once are serialised (or one
   * fails on the deadlock), so the last active admin is never deactivated.
   */
  static final String OTHER_ACTIVE_ADMINS =
    "SELECT id FROM users WHERE role = 'admin' AND deactivated_at IS NULL AND id <> #{id} FOR NO KEY UPDATE";

  /** A new link replaces every earlier unused one of the user. */
  static final String DROP_LINKS = "DELETE FROM password_resets WHERE user_id = #{userId} AND used_at IS NULL";
  static final String INSERT_LINK = """
    INSERT INTO password_resets (token_hash, user_id, created_by, expires_at)
    VALUES (#{tokenHash}, #{userId}, #{createdBy}, now() + make_interval(mins => #{minutes}))
    RETURNING expires_at""";

  /** Spends the link (once: the row is locked and marked), for an active user only. */
  static final String SPEND_LINK = """
    UPDATE password_resets r SET used_at = now()
    FROM users u
    WHERE r.token_hash = #{tokenHash} AND r.used_at IS NULL AND r.expires_at > now()
      AND u.id = r.user_id AND u.deactivated_at IS NULL
    RETURNING r.user_id""";

  static final String SET_PASSWORD = "UPDATE users SET password_hash = #{hash}, updated_at = now() WHERE id = #{id}"
    + " RETURNING " + COLUMNS;

  /** The account store's user JSON, plus whether the account is active. */
  static final RowMapper<JsonObject> USER = row -> AccountSql.USER.map(row)
    .put("active", row.getValue("deactivated_at") == null)
    .put("deactivatedAt", row.getValue("deactivated_at") == null ? null : utc(row, "deactivated_at"));

  private UserAdminSql() {
  }
}
