package edu.mentoring.portal.idempotency;

/** All SQL of idempotency keys. A row with {@code status_code = 0} is a reservation whose request is in flight. */
final class IdempotencySql {
  static final int PENDING = 0;

  /** Reserves the key; returns no row when the key is already there (done, or in flight elsewhere). */
  static final String RESERVE = """
    INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response)
    VALUES (#{userId}, #{key}, #{requestHash}, 0, '{}'::jsonb)
    ON CONFLICT (user_id, key) DO NOTHING
    RETURNING user_id""";

  static final String FIND = """
    SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = #{userId} AND key = #{key}""";

  /** A reservation left behind by a node that died mid-request may be taken over once it is clearly abandoned. */
  static final String TAKE_OVER_ABANDONED = """
    UPDATE idempotency_keys SET request_hash = #{requestHash}, created_at = now()
    WHERE user_id = #{userId} AND key = #{key} AND status_code = 0
      AND created_at < now() - #{abandonedSeconds}::int * interval '1 second'
    RETURNING user_id""";

  static final String SAVE = """
    UPDATE idempotency_keys SET status_code = #{statusCode}, response = #{response}
    WHERE user_id = #{userId} AND key = #{key} AND request_hash = #{requestHash} AND status_code = 0""";

  static final String RELEASE = """
    DELETE FROM idempotency_keys WHERE user_id = #{userId} AND key = #{key} AND status_code = 0""";

  static final String EXPIRE = """
    DELETE FROM idempotency_keys WHERE created_at < now() - #{hours}::int * interval '1 hour'""";

  private IdempotencySql() {
  }
}
