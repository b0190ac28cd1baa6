package edu.mentoring.portal.notifications;

import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.events.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Owns each user's notifications: listing, read marks, deletion. Rows are created with their domain event, in the
 * command's transaction (Outbox). Every query is scoped to the caller, so another user's id is simply not
 * found (404) and nothing changes. After each change the server's unread count is pushed as
 * {@code notifications:changed} on {@code user:{id}}, so every tab and device shows the same number.
 */
public class NotificationStore extends VerticleBase {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  private Pool pool;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return Future.all(List.of(
      serve(NotificationAddresses.LIST, this::list),
      serve(NotificationAddresses.READ, this::read),
      serve(NotificationAddresses.READ_ALL, this::readAll),
      serve(NotificationAddresses.DELETE, this::delete),
      serve(NotificationAddresses.CLEAR, this::clear)));
  }

  private Future<Void> serve(String address, Function<BusRequest, Future<JsonObject>> handler) {
    return Bus.serve(vertx, address, Map.of(), handler).completion();
  }

  private Future<JsonObject> list(BusRequest req) {
    long userId = req.actor().id();
    Input q = req.query();
    Boolean unread = q.optionalBool("unread");
    String type = q.oneOf("type", EventTypes.DOMAIN, false);
    Long before = q.optionalId("before");
    int limit = q.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    q.validate();
    Map<String, Object> p = new HashMap<>();
    p.put("userId", userId);
    p.put("unread", unread);
    p.put("type", type);
    p.put("before", before);
    p.put("limit", Pages.fetch(limit));
    // one snapshot, so the page and the count never disagree
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
      .execute()
      .compose(v -> SqlTemplate.forQuery(conn, NotificationSql.LIST).mapTo(NotificationMessages.NOTIFICATION)
        .execute(p))
      .compose(rows -> unreadCount(conn, userId)
        .map(unreadCount -> Pages.before(rows, limit).put("unreadCount", unreadCount))));
  }

  private Future<JsonObject> read(BusRequest req) {
    long id = req.pathId("id", "notification");
    Map<String, Object> key = Map.of("id", id, "userId", req.actor().id());
    return change(req.actor().id(), conn -> SqlTemplate.forQuery(conn, NotificationSql.READ_AT).execute(key)
      .compose(rows -> {
        if (rows.size() == 0) return Future.failedFuture(PortalException.notFound("notification"));
        return SqlTemplate.forUpdate(conn, NotificationSql.MARK_READ).execute(key).map(r -> r.rowCount() > 0);
      }));
  }

  private Future<JsonObject> readAll(BusRequest req) {
    Map<String, Object> key = Map.of("userId", req.actor().id());
    return change(req.actor().id(), conn -> SqlTemplate.forUpdate(conn, NotificationSql.MARK_ALL_READ).execute(key)
      .map(r -> r.rowCount() > 0));
  }

  private Future<JsonObject> delete(BusRequest req) {
    long id = req.pathId("id", "notification");
    Map<String, Object> key = Map.of("id", id, "userId", req.actor().id());
    return change(req.actor().id(), conn -> SqlTemplate.forUpdate(conn, NotificationSql.DELETE).execute(key)
      .compose(r -> r.rowCount() == 1 ? Future.succeededFuture(true)
        : Future.failedFuture(PortalException.notFound("notification"))));
  }

  private Future<JsonObject> clear(BusRequest req) {
    Map<String, Object> key = Map.of("userId", req.actor().id());
    return change(req.actor().id(), conn -> SqlTemplate.forUpdate(conn, NotificationSql.CLEAR).execute(key)
      .map(r -> r.rowCount() > 0));
  }

  /**
   * Runs one change of the user's notifications under their lock, answers {@code {unreadCount}} as of that change
   * and, when something changed, pushes it to all their tabs after commit. No audit row and no domain event:
   * a read mark is the user's own inbox state, derived from events that are already audited.
   */
  private Future<JsonObject> change(long userId, Function<SqlConnection, Future<Boolean>> change) {
    return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, NotificationSql.LOCK_USER)
        .execute(Map.of("userId", userId))
        .compose(v -> change.apply(conn))
        .compose(changed -> unreadCount(conn, userId).map(n -> new Changed(changed, n))))
      .onSuccess(c -> {
        if (c.changed()) NotificationMessages.pushChanged(vertx, userId, c.unreadCount());
      })
      .map(c -> new JsonObject().put("unreadCount", c.unreadCount()));
  }

  private static Future<Long> unreadCount(SqlConnection conn, long userId) {
    return SqlTemplate.forQuery(conn, NotificationSql.UNREAD_COUNT).execute(Map.of("userId", userId))
      .map(rows -> rows.iterator().next().getLong("unread"));
  }

  private record Changed(boolean changed, long unreadCount) {
  }
}
