package edu.mentoring.portal.accounts;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;

/** bcrypt (salted, slow) on worker threads: hashing never runs on an event loop. */
public final class Passwords {
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
  public static final int MAX_BYTES = 72;
  public static final int MIN_LENGTH = 8;

  private final Vertx vertx;
  private final int cost;
  private final String dummyHash;

  public Passwords(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
    // compared against when the email is unknown, so a miss costs as long as a wrong password
    this.dummyHash = BCrypt.withDefaults().hashToString(cost, "not-a-real-password".toCharArray());
  }

  public static boolean acceptable(String password) {
    return password != null && password.length() >= MIN_LENGTH
      && password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  /** {@code hash} null means "no such user": still spends the time, then says no. */
  public Future<Boolean> matches(String password, String hash) {
    String against = hash == null ? dummyHash : hash;
    return vertx.executeBlocking(() -> {
      boolean ok = BCrypt.verifyer().verify(password.toCharArray(), against).verified;
      return ok && hash != null;
    }, false);
  }
}
