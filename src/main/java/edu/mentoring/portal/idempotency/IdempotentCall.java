package edu.mentoring.portal.idempotency;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
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
import java.util.function.Supplier;

/**
 * The HTTP side's view of an idempotent POST: reserve the key, run the request once, keep its 2xx answer;
 * a retry gets that answer back instead of running again. Knows nothing of HTTP itself.
 */
public final class IdempotentCall {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentCall.class);

  /** What to answer: the status, the body, and whether it is a replay of an earlier answer. */
  public record Outcome(int status, JsonObject body, boolean replayed) {
  }

  private IdempotentCall() {
  }

  /**
   * Runs {@code call} at most once per (user, key). {@code status} is the route's success status; failures of
   * {@code call} are passed through and free the key, so that a retry runs again.
   */
  public static Future<Outcome> run(Vertx vertx, Actor actor, String key, String method, String path, Buffer body,
                                    int status, Supplier<Future<JsonObject>> call) {
    JsonObject id = new JsonObject().put("userId", actor.id()).put("key", key)
      .put("requestHash", hash(method, path, body));
    return Bus.requestLocal(vertx, IdempotencyAddresses.LOOKUP, message(actor, id)).compose(found -> {
      if (found.getBoolean("found", false)) {
        return Future.succeededFuture(new Outcome(found.getInteger("statusCode"),
          found.getJsonObject("response"), true));
      }
      return call.get()
        // free the key before answering, so a corrected retry right after the failure is not "in progress"
        .recover(failure -> Bus.requestLocal(vertx, IdempotencyAddresses.RELEASE, message(actor, without(id, "requestHash")))
          .onFailure(t -> LOG.warn("could not release idempotency key of user {}", actor.id(), t))
          .transform(ar -> Future.failedFuture(failure)))
        .compose(reply -> {
          JsonObject stored = reply == null ? new JsonObject() : reply;
          // the change is committed: answer it even if keeping the answer fails (the key then stays reserved)
          return Bus.requestLocal(vertx, IdempotencyAddresses.SAVE, message(actor, id.copy().put("statusCode", status)
              .put("response", stored)))
            .onFailure(t -> LOG.error("could not store the answer of idempotency key of user {}", actor.id(), t))
            .transform(ar -> Future.succeededFuture(new Outcome(status, stored, false)));
        });
    });
  }

  private static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }

  private static JsonObject message(Actor actor, JsonObject body) {
    return BusRequest.message(actor, new JsonObject(), body);
  }

  /** SHA-256 of method, path and the body bytes: the same key with another request is a client mistake. */
  static String hash(String method, String path, Buffer body) {
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
