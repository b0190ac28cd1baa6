package edu.mentoring.portal.common;

import edu.mentoring.portal.operations.NodeMetrics;
import edu.mentoring.portal.operations.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.util.Map;
import java.util.function.Function;

/**
 * Request/reply over the event bus with the portal's failure convention: a failed reply carries
 * {@link ErrorCode#number()} and, as its message, the JSON {@code error} object of the contract.
 */
public final class Bus {
  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private Bus() {
  }

  /**
   * Serves {@code address}: each message becomes a {@link BusRequest}, the handler's result is the reply.
   * {@code constraints} maps database constraint names to the failure a client should see.
   */
  public static MessageConsumer<JsonObject> serve(Vertx vertx, String address,
                                                   Map<String, PortalException> constraints,
                                                   Function<BusRequest, Future<JsonObject>> handler) {
    return vertx.eventBus().consumer(address, (Message<JsonObject> msg) -> {
      // each message runs on a context of its own: the request id of the HTTP request it serves follows it
      RequestIds.set(msg.headers().get(RequestIds.BUS_HEADER));
      Future<JsonObject> result;
      try {
        JsonObject body = msg.body();
        if (body == null) throw new PortalException(ErrorCode.VALIDATION_FAILED, "empty message");
        result = handler.apply(BusRequest.of(body));
      } catch (Throwable t) {
        result = Future.failedFuture(t);
      }
      result.onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result() == null ? new JsonObject() : ar.result());
        } else {
          PortalException failure = toPortal(ar.cause(), constraints, address);
          LOG.debug("{} answered {}", address, failure.code().wire());
          msg.fail(failure.code().number(), failure.toBusJson().encode());
        }
      });
    });
  }

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body) {
    return request(vertx, address, body, DEFAULT_TIMEOUT_MS);
  }

  /** Sends a request; a failed reply comes back as the {@link PortalException} the server meant. */
  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus()
      .<JsonObject>request(address, body, options(timeoutMs, false))
      .map(Message::body)
      .recover(t -> Future.failedFuture(fromReply(vertx, t, address)));
  }

  /**
   * A request served on this node (every node runs every store): what HTTP asks, and the real-time path's own
   * questions (room grants, the event log). None of them may wait on another node, nor on one that just died: a
   * node serves its own requests, so losing a node costs the others nothing (docs/operations.md, failover).
   */
  public static Future<JsonObject> requestLocal(Vertx vertx, String address, JsonObject body) {
    return requestLocal(vertx, address, body, DEFAULT_TIMEOUT_MS);
  }

  public static Future<JsonObject> requestLocal(Vertx vertx, String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus()
      .<JsonObject>request(address, body, options(timeoutMs, true))
      .map(Message::body)
      .recover(t -> Future.failedFuture(fromReply(vertx, t, address)));
  }

  /**
   * A one-way message to this node's consumer (an audit record of the request being served), with its request id:
   * never lost to, or held up by, another node.
   */
  public static void sendLocal(Vertx vertx, String address, JsonObject body) {
    vertx.eventBus().send(address, body, options(DEFAULT_TIMEOUT_MS, true));
  }

  /** The deadline, where it may be served, and the request id of the HTTP request this is part of. */
  private static DeliveryOptions options(long timeoutMs, boolean localOnly) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(localOnly);
    String requestId = RequestIds.current();
    if (requestId != null) options.addHeader(RequestIds.BUS_HEADER, requestId);
    return options;
  }

  static PortalException fromReply(Vertx vertx, Throwable t, String address) {
    PortalException failure = fromReply(t, address);
    NodeMetrics.of(vertx).busFailure(address, failure.code().number());
    return failure;
  }

  static PortalException fromReply(Throwable t, String address) {
    if (t instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        ErrorCode code = ErrorCode.ofNumber(re.failureCode());
        try {
          return PortalException.fromJson(code, new JsonObject(re.getMessage()));
        } catch (DecodeException | NullPointerException e) {
          return new PortalException(code, code == ErrorCode.INTERNAL ? "internal error" : re.getMessage());
        }
      }
      LOG.warn("bus request to {} failed: {}", address, re.failureType());
      return new PortalException(ErrorCode.UNAVAILABLE, "service temporarily unavailable");
    }
    LOG.error("bus request to {} failed", address, t);
    return new PortalException(ErrorCode.INTERNAL, "internal error");
  }

  /** Maps anything thrown while serving to what the client may see; unexpected errors are logged, never leaked. */
  public static PortalException toPortal(Throwable t, Map<String, PortalException> constraints, String where) {
    if (t instanceof PortalException pe) return pe;
    if (t instanceof PgException pg) {
      String constraint = pg.getConstraint();
      if (constraint != null && constraints.containsKey(constraint)) return constraints.get(constraint);
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      switch (state) {
        case "23505":
          return PortalException.conflict("already exists");
        case "23P01":
          return PortalException.conflict("conflicts with an existing record");
        case "23503":
          return new PortalException(ErrorCode.VALIDATION_FAILED, "refers to something that does not exist");
        case "40001", "40P01":
          return new PortalException(ErrorCode.CONFLICT, "concurrent change, please retry");
        default:
          if (state.startsWith("22") || state.equals("23514") || state.equals("23502")) {
            LOG.info("{}: data refused by the database: {} {}", where, state, pg.getErrorMessage());
            return new PortalException(ErrorCode.VALIDATION_FAILED, "invalid value");
          }
          PortalException unavailable = unavailable(state);
          if (unavailable != null) {
            LOG.warn("{}: {} ({} {})", where, unavailable.getMessage(), state, pg.getErrorMessage());
            return unavailable;
          }
      }
    }
    if (t instanceof ConnectionPoolTooBusyException) {
      // every connection busy and the wait queue full: refused at once, the expected answer to a flood
      LOG.debug("{}: {}", where, t.getMessage());
      return PortalException.busy();
    }
    if (t instanceof ConnectException || t instanceof ClosedConnectionException || closedUnderUs(t)) {
      // the database is down or restarting: a retryable 503, not a bug
      LOG.warn("{}: database unavailable: {}", where, t.toString());
      return new PortalException(ErrorCode.UNAVAILABLE, "service temporarily unavailable");
    }
    LOG.error("{} failed", where, t);
    return new PortalException(ErrorCode.INTERNAL, "internal error");
  }

  /**
   * A command on a connection the server has already ended (an idle-in-transaction timeout, a terminated backend):
   * the client says so only in words ({@code SocketConnectionBase}, 5.0.7).
   */
  private static boolean closedUnderUs(Throwable t) {
    return t instanceof VertxException && t.getMessage() != null
      && t.getMessage().startsWith("Connection is not active now");
  }

  /**
   * SQLSTATEs that say "not now" rather than "wrong": the session's timeouts (Db), and a server or connection
   * going away. Each rolled the transaction back; the client may retry. Null for any other state.
   */
  static PortalException unavailable(String state) {
    return switch (state) {
      case "57014" -> PortalException.unavailable("the database took too long to answer, please retry");
      case "55P03" -> PortalException.unavailable("a record this needs is being changed, please retry");
      // idle-in-transaction timeout; admin or crash shutdown; the server starting; idle-session timeout; no slots
      case "25P03", "57P01", "57P02", "57P03", "57P05", "53300" ->
        PortalException.unavailable("service temporarily unavailable");
      default -> state.startsWith("08") ? PortalException.unavailable("service temporarily unavailable") : null;
    };
  }
}
