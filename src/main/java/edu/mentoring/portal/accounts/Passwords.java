package edu.mentoring.portal.accounts;

import at.favre.lib.crypto.bcrypt.BCrypt;
import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt (salted, slow) on worker threads of its own: hashing never runs on an event loop, never takes more than
 * {@code threads} cores, and at most {@code queue} more sign-ins wait for one; past that a sign-in is refused at once
 * (503 {@code unavailable}) instead of queueing without bound while the rest of the API starves.
 */
public final class Passwords {
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
  public static final int MAX_BYTES = 72;
  public static final int MIN_LENGTH = 8;

  private final int cost;
  private final String dummyHash;
  private final WorkerExecutor workers;
  /** Hashes running or waiting; at most {@link #maxPending}. */
  private final AtomicInteger pending = new AtomicInteger();
  private final int maxPending;

  public Passwords(Vertx vertx, int cost, int threads, int queue) {
    this.cost = cost;
    // compared against when the email is unknown, so a miss costs as long as a wrong password
    this.dummyHash = BCrypt.withDefaults().hashToString(cost, "not-a-real-password".toCharArray());
    // created from the verticle's start: closed with it
    this.workers = vertx.createSharedWorkerExecutor("portal-bcrypt", threads);
    this.maxPending = threads + queue;
  }

  /** From the verticle config (ConfigKeys.BCRYPT_*). */
  public static Passwords fromConfig(Vertx vertx, JsonObject config) {
    return new Passwords(vertx, config.getInteger(ConfigKeys.BCRYPT_COST, 10),
      config.getInteger(ConfigKeys.BCRYPT_THREADS, 1), config.getInteger(ConfigKeys.BCRYPT_QUEUE, 32));
  }

  public static boolean acceptable(String password) {
    return password != null && password.length() >= MIN_LENGTH
      && password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  public Future<String> hash(String password) {
    return bounded(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()));
  }

  /** {@code hash} null means "no such user": still spends the time, then says no. */
  public Future<Boolean> matches(String password, String hash) {
    String against = hash == null ? dummyHash : hash;
    return bounded(() -> {
      boolean ok = BCrypt.verifyer().verify(password.toCharArray(), against).verified;
      return ok && hash != null;
    });
  }

  private <T> Future<T> bounded(Callable<T> work) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return Future.failedFuture(PortalException.unavailable("too many sign-ins at once, please retry in a moment"));
    }
    return workers.executeBlocking(work, false).andThen(ar -> pending.decrementAndGet());
  }
}
