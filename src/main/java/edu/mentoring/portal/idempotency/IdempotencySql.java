package edu.mentoring.portal.idempotency;

/**
 * All SQL of idempotency keys. A row with {@code status_code = 0} is a reservation whose command has not committed:
 * it is visible to others only if an older node left it behind.
 */
final class IdempotencySql {
  static final int PENDING = 0;

  static final String FIND = """
    SELECT request_hash, status_code, response, created_at < now() - #{abandonedSeconds}::int * interval '1 second' AS abandoned
    FROM idempotency_keys WHERE user_id = #{userId} AND key = #{key}""";

  /**
   * Reserves the key inside the command's transaction (IdempotentCommand); no row when it is taken. A pending row
   * older than any request may run was left by an older node version that died mid-request: taken over.
   */
  static final String RESERVE_IN_COMMAND = """
    INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response)
    VALUES (#{userId}, #{key}, #{requestHash}, 0, '{}'::jsonb)
    ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now()
      WHERE idempotency_keys.status_code = 0
        AND idempotency_keys.created_at < now() - #{abandonedSeconds}::int * interval '1 second'
    RETURNING user_id""";

  /** The answer, in the same transaction as the reservation and the command. */
  static final String SAVE_IN_COMMAND = """
    UPDATE idempotency_keys SET status_code = #{statusCode}, response = #{response}
    WHERE user_id = #{userId} AND key = #{key}""";

  /**
   * After the answer: keeps it for commands that are not run through IdempotentCommand (marking notifications
   * read, which repeats harmlessly), and for those that are, replaces the transaction's answer with the final one
   * (a cohort's roll is taken after the commit). Never another request's key.
   */
  static final String SAVE_FINAL = """
    INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response)
    VALUES (#{userId}, #{key}, #{requestHash}, #{statusCode}, #{response})
    ON CONFLICT (user_id, key) DO UPDATE SET status_code = EXCLUDED.status_code, response = EXCLUDED.response
      WHERE idempotency_keys.request_hash = EXCLUDED.request_hash""";

  /** Frees only a pending reservation of this very request: another request's key is never released. */
  static final String RELEASE = """
    DELETE FROM idempotency_keys
    WHERE user_id = #{userId} AND key = #{key} AND request_hash = #{requestHash} AND status_code = 0""";

  static final String EXPIRE = """
    DELETE FROM idempotency_keys WHERE created_at < now() - #{hours}::int * interval '1 hour'""";

  private IdempotencySql() {
  }
}
