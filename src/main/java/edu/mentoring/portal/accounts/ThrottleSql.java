package edu.mentoring.portal.accounts;

/** All SQL of sign-in and sign-up throttling ({@code sign_in_throttle}, V5). */
final class ThrottleSql {
  private static final String LOCK = "#{lockSeconds}::int * interval '1 second'";
  private static final String STALE = "t.window_start < now() - " + LOCK;
  private static final String COUNT = "CASE WHEN " + STALE + " THEN 1 ELSE t.failures + 1 END";

  /** The locks that refuse this sign-in now, with the seconds left. */
  static final String LOCKS = """
    SELECT scope, ceil(extract(epoch FROM locked_until - now()))::int AS retry_after FROM sign_in_throttle
    WHERE ((scope = 'account' AND subject = #{account}) OR (scope = 'address' AND subject = #{address}))
      AND locked_until > now()""";

  /**
   * One more failure for the account and for the address, in one statement (concurrent failures all count); the
   * failure that reaches a limit locks that subject: {@code locked_now} tells which row this statement locked.
   */
  static final String RECORD_FAILURE = """
    INSERT INTO sign_in_throttle AS t (scope, subject, failures, locked_until)
    VALUES ('account', #{account}, 1, CASE WHEN #{maxAccount}::int <= 1 THEN now() + %1$s END),
           ('address', #{address}, 1, CASE WHEN #{maxAddress}::int <= 1 THEN now() + %1$s END)
    ON CONFLICT (scope, subject) DO UPDATE SET
      failures = %3$s,
      window_start = CASE WHEN %2$s THEN now() ELSE t.window_start END,
      locked_until = CASE WHEN %3$s >= CASE t.scope WHEN 'account' THEN #{maxAccount}::int ELSE #{maxAddress}::int END
        THEN now() + %1$s ELSE t.locked_until END
    RETURNING scope, failures, locked_until IS NOT DISTINCT FROM now() + %1$s AS locked_now""".formatted(LOCK, STALE, COUNT);

  /** A right password clears the account's count (never the address's: one good account must not reset a spray). */
  static final String CLEAR_ACCOUNT = "DELETE FROM sign_in_throttle WHERE scope = 'account' AND subject = #{account}";

  /** One more sign-up from the address in its hour: the count, and the seconds until the hour is over. */
  static final String COUNT_SIGN_UP = """
    INSERT INTO sign_in_throttle AS t (scope, subject, failures) VALUES ('signup', #{address}, 1)
    ON CONFLICT (scope, subject) DO UPDATE SET
      failures = CASE WHEN t.window_start < now() - interval '1 hour' THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start < now() - interval '1 hour' THEN now() ELSE t.window_start END
    RETURNING failures, ceil(extract(epoch FROM window_start + interval '1 hour' - now()))::int AS retry_after""";

  /** Rows no window or lock needs any more. */
  static final String EXPIRE = """
    DELETE FROM sign_in_throttle WHERE window_start < now() - interval '1 day'
      AND (locked_until IS NULL OR locked_until < now())""";

  private ThrottleSql() {
  }
}
