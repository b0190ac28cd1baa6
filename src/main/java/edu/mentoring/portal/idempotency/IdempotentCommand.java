package edu.mentoring.portal.idempotency;

import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A store's command run under an Idempotency-Key: the key's reservation, the command and its saved answer commit in
 * the command's own transaction. So an answer lost after the commit (a bus timeout, a node dying before it replies)
 * cannot make a retry run the command again: the retry finds the key taken and replays the saved answer. A failed
 * command rolls its reservation back with it: nothing to release.
 */
public final class IdempotentCommand {
  /** In {@code BusRequest.client}: {@code {key, requestHash, status}}, set by the HTTP verticle only. */
  public static final String FIELD = "idempotency";

  /** The key is already answered (or being answered) by another transaction: the caller replays it. */
  static final PortalException TAKEN = new PortalException(ErrorCode.IDEMPOTENCY_TAKEN,
    "request in progress: a request with this Idempotency-Key has not finished yet");

  private IdempotentCommand() {
  }

  /** {@code pool.withTransaction(command)}, keyed when the request carries an Idempotency-Key. */
  public static Future<JsonObject> transaction(Pool pool, BusRequest req,
                                               Function<SqlConnection, Future<JsonObject>> command) {
    JsonObject idem = req.client().getJsonObject(FIELD);
    if (idem == null) return pool.withTransaction(command);
    Map<String, Object> p = new HashMap<>();
    p.put("userId", req.actor().id());
    p.put("key", idem.getString("key"));
    p.put("requestHash", idem.getString("requestHash"));
    p.put("statusCode", idem.getInteger("status", 200));
    p.put("abandonedSeconds", IdempotencyStore.ABANDONED_SECONDS);
    // a concurrent duplicate's insert waits here for the first transaction, then finds the key taken
    return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, IdempotencySql.RESERVE_IN_COMMAND).execute(p)
      .compose(reserved -> reserved.size() == 0 ? Future.failedFuture(TAKEN) : command.apply(conn))
      .compose(reply -> {
        JsonObject answer = reply == null ? new JsonObject() : reply;
        Map<String, Object> saved = new HashMap<>(p);
        saved.put("response", answer);
        return SqlTemplate.forUpdate(conn, IdempotencySql.SAVE_IN_COMMAND).execute(saved).map(answer);
      }));
  }
}
