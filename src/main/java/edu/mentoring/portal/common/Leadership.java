package edu.mentoring.portal.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One active instance of a job in the whole cluster: whoever holds a session-level PostgreSQL advisory lock on its
 * own dedicated connection. The leader does its work over that connection, so an instance that lost the lock (its
 * session ended) cannot go on working; the lock passes to another instance at its next try. No Hazelcast lock:
 * the database is what every node already shares, and a dead node's session (and lock) ends with its socket.
 * Runs on the context of the verticle that creates it.
 */
public final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
  /**
   * No answer on the lock's connection for this long means it is gone: well past the statement timeout (the server
   * ends a slow statement itself, and the connection and its lock stay).
   */
  static final long CONNECTION_TIMEOUT_MS = 20_000;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final long key;
  private final String job;
  private final Runnable onElected;
  private final Runnable onDeposed;
  private final BooleanSupplier working;
  private PgConnection connection;
  private boolean leader;
  private boolean campaigning;
  private boolean stopped;
  private long timer = -1;

  /**
   * {@code onElected}/{@code onDeposed} run on the caller's context when this instance gains or loses the lock;
   * while {@code working} answers true the leader's connection is in use (and so checked by that work): no ping then.
   */
  public Leadership(Vertx vertx, PgConnectOptions options, long key, String job, Runnable onElected,
                    Runnable onDeposed, BooleanSupplier working) {
    this.vertx = vertx;
    this.options = options;
    this.key = key;
    this.job = job;
    this.onElected = onElected;
    this.onDeposed = onDeposed;
    this.working = working;
  }

  /** Tries at once, then every {@code retryMs}; a leader uses the tick to check its connection is alive. */
  public void start(long retryMs) {
    timer = vertx.setPeriodic(retryMs, id -> campaign());
    campaign();
  }

  public boolean isLeader() {
    return leader;
  }

  /** The lock's connection: valid while {@link #isLeader()}. */
  public PgConnection connection() {
    return connection;
  }

  /** Whether {@code c} is still the lock's connection of a leader: work begun on it may go on. */
  public boolean holds(PgConnection c) {
    return leader && c != null && connection == c;
  }

  private void campaign() {
    if (stopped || campaigning || (leader && working.getAsBoolean())) return;
    campaigning = true;
    Future<PgConnection> conn = connection != null ? Future.succeededFuture(connection) : connect();
    conn.compose(c -> (leader ? c.query("SELECT 1").execute().map(true)
          : c.query("SELECT pg_try_advisory_lock(" + key + ") AS locked").execute()
            .map(rows -> rows.iterator().next().getBoolean("locked")))
        .timeout(CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS) // a hung connection must not stop the campaign
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("{}: lock connection lost: {}", job, ar.cause().getMessage());
            drop(c);
          } else if (ar.result() && !leader && !stopped && connection == c) {
            leader = true;
            LOG.info("{}: this instance is now the active one (advisory lock {})", job, key);
            onElected.run();
          }
        }))
      .onComplete(ar -> {
        campaigning = false;
        if (ar.failed()) LOG.debug("{}: election failed, will retry: {}", job, ar.cause().getMessage());
      });
  }

  private Future<PgConnection> connect() {
    return PgConnection.connect(vertx, options).map(c -> {
      if (stopped) {
        c.close();
        throw new IllegalStateException("stopped");
      }
      connection = c;
      c.closeHandler(v -> {
        if (connection == c) {
          connection = null;
          depose();
        }
      });
      c.exceptionHandler(t -> LOG.debug("{}: lock connection: {}", job, t.getMessage()));
      return c;
    });
  }

  /** Gives the lock up (closing the session releases it at once); the next try may take it again. */
  public void drop(PgConnection c) {
    if (connection == c) {
      connection = null;
      depose();
    }
    if (c != null) c.close();
  }

  private void depose() {
    if (!leader) return;
    leader = false;
    LOG.info("{}: this instance is no longer the active one", job);
    onDeposed.run();
  }

  public Future<Void> stop() {
    stopped = true;
    if (timer != -1) vertx.cancelTimer(timer);
    depose();
    PgConnection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
