package edu.mentoring.portal.idempotency;

import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Owns idempotency keys: per user, a key names one POST and the 2xx answer it got. Commands reserve and answer a key
 * in their own transaction ({@link IdempotentCommand}); this verticle finds answers to replay, keeps the answers of
 * commands that do not, and expires keys.
 */
public class IdempotencyStore extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);
  /** Longer than any request may take (the bus times out after 10 s): a pending row this old was abandoned. */
  static final int ABANDONED_SECONDS = 60;
  /** How long a client may retry with the same key. */
  static final int KEEP_HOURS = 24;
  private static final long SWEEP_MS = 3_600_000;

  private static final PortalException MISMATCH = new PortalException(ErrorCode.IDEMPOTENCY_MISMATCH,
    "this Idempotency-Key was already used for a different request");
  private static final PortalException IN_PROGRESS = PortalException.conflict(
    "request in progress: a request with this Idempotency-Key has not finished yet");

  private Pool pool;
  private long sweeper = -1;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    // every node sweeps; deleting the same expired rows twice is harmless
    sweeper = vertx.setPeriodic(SWEEP_MS, id -> SqlTemplate.forUpdate(pool, IdempotencySql.EXPIRE)
      .execute(Map.of("hours", KEEP_HOURS))
      .onFailure(t -> LOG.warn("could not expire idempotency keys", t)));
    return Future.all(
      Bus.serve(vertx, IdempotencyAddresses.LOOKUP, Map.of(), this::lookup).completion(),
      Bus.serve(vertx, IdempotencyAddresses.SAVE, Map.of(), this::save).completion(),
      Bus.serve(vertx, IdempotencyAddresses.RELEASE, Map.of(), this::release).completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    return Future.succeededFuture();
  }

  private record Key(long userId, String key, String requestHash) {
    Map<String, Object> params() {
      Map<String, Object> p = new HashMap<>();
      p.put("userId", userId);
      p.put("key", key);
      p.put("requestHash", requestHash);
      return p;
    }
  }

  private static Key key(BusRequest req, boolean withHash) {
    Input in = req.input();
    Long userId = in.id("userId");
    String key = in.text("key", 1, 200);
    if (key != null && key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) in.problem("key", "must be printable");
    String hash = withHash ? in.text("requestHash", 1, 200) : null;
    in.validate();
    return new Key(userId, key, hash);
  }

  /** Read only: the committed answer to replay, or go ahead (the command's transaction reserves the key). */
  private Future<JsonObject> lookup(BusRequest req) {
    Key k = key(req, true);
    Map<String, Object> p = k.params();
    p.put("abandonedSeconds", ABANDONED_SECONDS);
    return SqlTemplate.forQuery(pool, IdempotencySql.FIND).execute(p).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture(new JsonObject().put("found", false));
      Row row = rows.iterator().next();
      int status = row.getInteger("status_code");
      boolean pending = status == IdempotencySql.PENDING;
      // left behind by a node that died mid-request (older versions reserved outside the command): free to take
      if (pending && row.getBoolean("abandoned")) return Future.succeededFuture(new JsonObject().put("found", false));
      if (!k.requestHash().equals(row.getString("request_hash"))) return Future.failedFuture(MISMATCH);
      if (pending) return Future.failedFuture(IN_PROGRESS);
      return Future.succeededFuture(new JsonObject().put("found", true).put("statusCode", status)
        .put("response", row.getJsonObject("response")));
    });
  }

  private Future<JsonObject> save(BusRequest req) {
    Key k = key(req, true);
    Input in = req.input();
    Long status = in.id("statusCode");
    in.check(status == null || (status >= 200 && status < 300), "statusCode", "must be a 2xx status");
    JsonObject response = req.body().getValue("response") instanceof JsonObject r ? r : null;
    in.check(response != null, "response", "must be a JSON object");
    in.validate();
    Map<String, Object> p = k.params();
    p.put("statusCode", status.intValue());
    p.put("response", response);
    return SqlTemplate.forUpdate(pool, IdempotencySql.SAVE_FINAL).execute(p).map(r -> new JsonObject());
  }

  private Future<JsonObject> release(BusRequest req) {
    Key k = key(req, true);
    return SqlTemplate.forUpdate(pool, IdempotencySql.RELEASE).execute(k.params()).map(r -> new JsonObject());
  }
}
