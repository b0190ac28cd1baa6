package edu.mentoring.portal.accounts;

import static edu.mentoring.portal.common.Times.utc;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

/** All SQL of cohort invitations ({@code invitations}, V5). Codes are stored only as their SHA-256. */
final class InvitationSql {
  static final String COLUMNS = "id, cohort_id, created_by, max_uses, uses, expires_at, revoked_at, created_at";

  static final String INSERT = """
    INSERT INTO invitations (code_hash, cohort_id, created_by, max_uses, expires_at)
    VALUES (#{codeHash}, #{cohortId}, #{createdBy}, #{maxUses}, now() + #{hours}::int * interval '1 hour')
    RETURNING""" + " " + COLUMNS;

  static final String OF_COHORT = "SELECT " + COLUMNS + " FROM invitations WHERE cohort_id = #{cohortId} ORDER BY id DESC LIMIT 200";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM invitations WHERE id = #{id}";

  static final String REVOKE = """
    UPDATE invitations SET revoked_at = COALESCE(revoked_at, now()) WHERE id = #{id}
    RETURNING""" + " " + COLUMNS;

  /**
   * Takes one use of a valid invitation inside the registration's transaction; no row when it is unknown, expired,
   * revoked or used up. Racing registrations queue on the row lock and re-check {@code uses < max_uses}.
   */
  static final String CLAIM = """
    UPDATE invitations SET uses = uses + 1
    WHERE code_hash = #{codeHash} AND revoked_at IS NULL AND expires_at > now() AND uses < max_uses
    RETURNING id, cohort_id""";

  /** Whether the user may manage the cohort's invitations: an admin, or one of its mentors. */
  static final String MAY_MANAGE = """
    SELECT 1 FROM cohorts c WHERE c.id = #{cohortId}
      AND (#{admin}::boolean OR EXISTS (SELECT 1 FROM cohort_mentors cm WHERE cm.cohort_id = c.id AND cm.mentor_id = #{userId}))""";

  static final RowMapper<JsonObject> INVITATION = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("cohortId", row.getLong("cohort_id"))
    .put("createdBy", row.getLong("created_by"))
    .put("maxUses", row.getInteger("max_uses"))
    .put("uses", row.getInteger("uses"))
    .put("expiresAt", utc(row, "expires_at"))
    .put("revokedAt", utc(row, "revoked_at"))
    .put("createdAt", utc(row, "created_at"));

  private InvitationSql() {
  }
}
