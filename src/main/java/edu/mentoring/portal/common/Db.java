package edu.mentoring.portal.common;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The one PostgreSQL pool of a node, shared by every verticle that asks for it (a shared, named pool), and the
 * connection settings every portal session gets (docs/operations.md).
 *
 * <p>Waiting is bounded by count, never by an acquire timeout: Vert.x 5.0.7's pool cancels a timed-out waiter
 * while a recycled connection may already be on its way to it, and that connection is then lost for good
 * ("Promise already completed"; vert.x #6169, fixed after 5.0.7), and its {@code execute} leaves its timer armed
 * when the acquire fails (vertx-sql-client #1706). So the pool has no acquire timeout; at most
 * {@code waitQueueSize} requests wait for a connection and the next one is refused at once
 * ({@code ConnectionPoolTooBusyException} → 503 {@code unavailable}); time is bounded by the server-side timeouts
 * below and the bus request's deadline.
 */
public final class Db {
  public static final int DEFAULT_POOL_SIZE = 8;
  public static final int DEFAULT_WAIT_QUEUE_SIZE = 1024;
  /** Under the bus deadline ({@link Bus#DEFAULT_TIMEOUT_MS}): the server gives up before the caller does. */
  public static final int DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
  /** Row or advisory lock waits: a request that cannot get its rows within this is refused, not queued. */
  public static final int DEFAULT_LOCK_TIMEOUT_MS = 2_000;
  /** A transaction left open by a stalled node is ended by the server, releasing its locks. */
  public static final int DEFAULT_IDLE_TX_TIMEOUT_MS = 10_000;

  /** Keys of the {@link ConfigKeys#DB} object. */
  public static final String POOL_SIZE = "poolSize";
  public static final String WAIT_QUEUE_SIZE = "waitQueueSize";
  public static final String STATEMENT_TIMEOUT_MS = "statementTimeoutMs";
  public static final String LOCK_TIMEOUT_MS = "lockTimeoutMs";
  public static final String IDLE_TX_TIMEOUT_MS = "idleTxTimeoutMs";

  private Db() {
  }

  /** Every portal session: prepared-statement cache, pipelining, and the server-side timeouts as startup parameters. */
  public static PgConnectOptions connectOptions(JsonObject db) {
    return new PgConnectOptions()
      .setHost(db.getString("host"))
      .setPort(db.getInteger("port"))
      .setDatabase(db.getString("database"))
      .setUser(db.getString("user"))
      .setPassword(db.getString("password"))
      .setCachePreparedStatements(true)
      .setPipeliningLimit(256)
      .addProperty("application_name", "mentoring-portal")
      .addProperty("statement_timeout", Long.toString(statementTimeoutMs(db)))
      .addProperty("lock_timeout", Long.toString(db.getInteger(LOCK_TIMEOUT_MS, DEFAULT_LOCK_TIMEOUT_MS)))
      .addProperty("idle_in_transaction_session_timeout",
        Long.toString(db.getInteger(IDLE_TX_TIMEOUT_MS, DEFAULT_IDLE_TX_TIMEOUT_MS)));
  }

  public static long statementTimeoutMs(JsonObject db) {
    return db.getInteger(STATEMENT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS);
  }

  /** No acquire timeout (see the class comment), a bounded wait queue. */
  public static PoolOptions poolOptions(JsonObject db) {
    return new PoolOptions()
      .setMaxSize(db.getInteger(POOL_SIZE, DEFAULT_POOL_SIZE))
      .setMaxWaitQueueSize(db.getInteger(WAIT_QUEUE_SIZE, DEFAULT_WAIT_QUEUE_SIZE))
      .setConnectionTimeout(0)
      .setShared(true)
      .setName("portal-db");
  }

  public static Pool pool(Vertx vertx, JsonObject config) {
    JsonObject db = config.getJsonObject(ConfigKeys.DB);
    return PgBuilder.pool().with(poolOptions(db)).connectingTo(connectOptions(db)).using(vertx).build();
  }
}
