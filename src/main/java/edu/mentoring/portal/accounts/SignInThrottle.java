package edu.mentoring.portal.accounts;

import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sign-in and sign-up throttling, kept in the database so every node counts the same failures: an account, or a
 * client address, that fails too often is locked for a while (429 {@code rate_limited} with {@code Retry-After}),
 * and is refused before any bcrypt work is spent on it. A lock beginning is audited (docs/security.md).
 */
final class SignInThrottle {
  /** A lock that began with this failure: which scope ({@code account} | {@code address}). */
  record Locked(String scope) {
  }

  private final Pool pool;
  private final int maxAccount;
  private final int maxAddress;
  private final int lockSeconds;
  private final int signUpsPerHour;

  SignInThrottle(Pool pool, JsonObject config) {
    this.pool = pool;
    this.maxAccount = config.getInteger(ConfigKeys.SIGN_IN_MAX_FAILURES, 5);
    this.maxAddress = config.getInteger(ConfigKeys.SIGN_IN_MAX_FAILURES_PER_ADDRESS, 50);
    this.lockSeconds = config.getInteger(ConfigKeys.SIGN_IN_LOCK_SECONDS, 900);
    this.signUpsPerHour = config.getInteger(ConfigKeys.SIGN_UPS_PER_ADDRESS_PER_HOUR, 30);
  }

  int lockSeconds() {
    return lockSeconds;
  }

  static String account(String email) {
    String a = email.trim().toLowerCase(Locale.ROOT);
    return a.length() > 300 ? a.substring(0, 300) : a;
  }

  /** Fails 429 while the account or the address is locked. */
  Future<Void> check(String email, String address) {
    return SqlTemplate.forQuery(pool, ThrottleSql.LOCKS).execute(params(email, address)).compose(rows -> {
      int wait = 0;
      for (Row r : rows) wait = Math.max(wait, r.getInteger("retry_after"));
      return rows.size() == 0 ? Future.succeededFuture()
        : Future.failedFuture(PortalException.rateLimited("too many failed sign-ins, please retry later", wait));
    });
  }

  /** Counts a failure for both; the locks it began (usually none). */
  Future<List<Locked>> failed(String email, String address) {
    Map<String, Object> p = params(email, address);
    p.put("maxAccount", maxAccount);
    p.put("maxAddress", maxAddress);
    return SqlTemplate.forQuery(pool, ThrottleSql.RECORD_FAILURE).execute(p).map(rows -> {
      List<Locked> locked = new ArrayList<>();
      for (Row r : rows) if (Boolean.TRUE.equals(r.getBoolean("locked_now"))) locked.add(new Locked(r.getString("scope")));
      return locked;
    });
  }

  Future<Void> succeeded(String email) {
    return SqlTemplate.forUpdate(pool, ThrottleSql.CLEAR_ACCOUNT).execute(Map.of("account", account(email))).mapEmpty();
  }

  /** Counts a sign-up attempt from {@code address}; fails 429 past the hourly allowance. */
  Future<Void> signUp(String address) {
    return SqlTemplate.forQuery(pool, ThrottleSql.COUNT_SIGN_UP).execute(Map.of("address", subject(address)))
      .compose(rows -> {
        Row r = rows.iterator().next();
        return r.getInteger("failures") <= signUpsPerHour ? Future.succeededFuture()
          : Future.failedFuture(PortalException.rateLimited("too many sign-ups from this address, please retry later",
              r.getInteger("retry_after")));
      });
  }

  Future<Void> expire() {
    return SqlTemplate.forUpdate(pool, ThrottleSql.EXPIRE).execute(Map.of()).mapEmpty();
  }

  private Map<String, Object> params(String email, String address) {
    Map<String, Object> p = new HashMap<>();
    p.put("account", account(email));
    p.put("address", subject(address));
    p.put("lockSeconds", lockSeconds);
    return p;
  }

  private static String subject(String address) {
    return address == null || address.isEmpty() ? "unknown" : address.length() > 300 ? address.substring(0, 300) : address;
  }
}
