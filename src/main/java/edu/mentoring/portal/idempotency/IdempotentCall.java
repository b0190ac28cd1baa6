package edu.mentoring.portal.idempotency;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The HTTP side's view of an idempotent POST: replay the answer a key already got, else run the request with the key
 * so that the store reserves it, runs the command and keeps the answer in one transaction ({@link IdempotentCommand}).
 * Knows nothing of HTTP itself.
 */
public final class IdempotentCall {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentCall.class);

  /** What to answer: the status, the body, and whether it is a replay of an earlier answer. */
  public record Outcome(int status, JsonObject body, boolean replayed) {
  }

  private IdempotentCall() {
  }

  /**
   * Runs {@code call} at most once per (user, key). {@code call} receives the JSON to put under
   * {@code BusRequest.client.idempotency} ({@link #keyed}); {@code status} is the route's success status. Failures
   * of {@code call} are passed through: their transaction took no key, so a corrected retry runs again.
   */
  public static Future<Outcome> run(Vertx vertx, Actor actor, String key, String method, String path, Buffer body,
                                    int status, Function<JsonObject, Future<JsonObject>> call) {
    JsonObject id = new JsonObject().put("userId", actor.id()).put("key", key)
      .put("requestHash", hash(method, path, body));
    return lookup(vertx, actor, id).compose(found -> {
      if (found != null) return Future.succeededFuture(found);
      return call.apply(keyed(key, id.getString("requestHash"), status))
        .compose(reply -> keep(vertx, actor, id, status, reply), failure -> {
          if (!(failure instanceof PortalException pe) || pe.code() != ErrorCode.IDEMPOTENCY_TAKEN) {
            return Future.failedFuture(failure);
          }
          // a duplicate's transaction took the key and committed first: replay its answer
          return lookup(vertx, actor, id).compose(again -> again != null ? Future.succeededFuture(again)
            : Future.failedFuture(PortalException.conflict(pe.getMessage())));
        });
    });
  }

  /** What a store reads under {@code client.idempotency}: {@code {key, requestHash, status}}. */
  public static JsonObject keyed(String key, String requestHash, int status) {
    return new JsonObject().put("key", key).put("requestHash", requestHash).put("status", status);
  }

  /** The committed answer to replay, or null: go ahead. */
  private static Future<Outcome> lookup(Vertx vertx, Actor actor, JsonObject id) {
    return Bus.requestLocal(vertx, IdempotencyAddresses.LOOKUP, message(actor, id)).map(found ->
      found.getBoolean("found", false)
        ? new Outcome(found.getInteger("statusCode"), found.getJsonObject("response"), true) : null);
  }

  /**
   * The change is committed, and its answer with it when the store ran it through IdempotentCommand; for commands
   * that do not (they repeat harmlessly), the answer is kept now. Answered even if keeping it fails.
   */
  private static Future<Outcome> keep(Vertx vertx, Actor actor, JsonObject id, int status, JsonObject reply) {
    JsonObject stored = reply == null ? new JsonObject() : reply;
    return Bus.requestLocal(vertx, IdempotencyAddresses.SAVE, message(actor, id.copy().put("statusCode", status)
        .put("response", stored)))
      .onFailure(t -> LOG.error("could not store the answer of idempotency key of user {}", actor.id(), t))
      .transform(ar -> Future.succeededFuture(new Outcome(status, stored, false)));
  }

  private static JsonObject message(Actor actor, JsonObject body) {
    return BusRequest.message(actor, new JsonObject(), body);
  }

  /** SHA-256 of method, path and the body bytes: the same key with another request is a client mistake. */
  public static String hash(String method, String path, Buffer body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
      if (body != null) sha.update(body.getBytes());
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
