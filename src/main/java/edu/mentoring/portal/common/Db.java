package edu.mentoring.portal.common;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The one PostgreSQL pool of a node, shared by every verticle that asks for it (a shared, named pool). */
public final class Db {
  private Db() {
  }

  public static PgConnectOptions connectOptions(JsonObject db) {
    return new PgConnectOptions()
      .setHost(db.getString("host"))
      .setPort(db.getInteger("port"))
      .setDatabase(db.getString("database"))
      .setUser(db.getString("user"))
      .setPassword(db.getString("password"))
      .setCachePreparedStatements(true)
      .setPipeliningLimit(256);
  }

  public static Pool pool(Vertx vertx, JsonObject config) {
    JsonObject db = config.getJsonObject(ConfigKeys.DB);
    PoolOptions options = new PoolOptions()
      .setMaxSize(db.getInteger("poolSize", 8))
      .setShared(true)
      .setName("portal-db");
    return PgBuilder.pool().with(options).connectingTo(connectOptions(db)).using(vertx).build();
  }
}
