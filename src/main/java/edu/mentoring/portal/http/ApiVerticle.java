package edu.mentoring.portal.http;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.accounts.Tokens;
import edu.mentoring.portal.audit.AuditAddresses;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.CanonicalText;
import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.idempotency.IdempotencyAddresses;
import edu.mentoring.portal.idempotency.IdempotentCall;
import edu.mentoring.portal.operations.MetricsEndpoint;
import edu.mentoring.portal.operations.NodeMetrics;
import edu.mentoring.portal.operations.NodeState;
import edu.mentoring.portal.operations.RequestIds;
import edu.mentoring.portal.idempotency.IdempotentCommand;
import edu.mentoring.portal.realtime.OriginCheck;
import edu.mentoring.portal.realtime.RoomHub;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;


/**
 * Owns HTTP: routes, authentication, roles, body limits, content types, and the one mapping from bus failures to
 * HTTP statuses. No SQL: every route becomes a request on the event bus ({@link ApiRoutes}).
 *
 * <p>Each instance keeps at most its share of the node's {@link ConfigKeys#HTTP_MAX_IN_FLIGHT} bus requests in
 * flight; a request beyond that is answered 503 {@code unavailable} with {@code Retry-After} at once, so a
 * saturated node refuses work instead of queueing it without bound (docs/operations.md).
 */
public class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  /** One line per HTTP request: method, path (never the query), status, milliseconds; the MDC adds requestId. */
  private static final Logger ACCESS = LoggerFactory.getLogger("access");
  /** How long a stopping node lets requests in flight finish before it closes their connections. */
  static final long SHUTDOWN_GRACE_MS = 2_000;
  public static final int BODY_LIMIT_BYTES = 64 * 1024;
  private static final String ACTOR = "portal.actor";
  /** How often at most a node that is refusing requests says so in the log. */
  private static final long BUSY_LOG_INTERVAL_MS = 10_000;

  private final RoomHub rooms;
  private final NodeState state;
  private NodeMetrics metrics;
  private Tokens tokens;
  private HttpServer server;
  /** Bus requests of this instance in flight, and the most it keeps (its share of the node's limit). */
  private int inFlight;
  private int maxInFlight;
  private long refused;
  private long refusedLoggedAt;

  public ApiVerticle(RoomHub rooms, NodeState state) {
    this.rooms = rooms;
    this.state = state;
  }

  @Override
  public Future<?> start() {
    tokens = Tokens.create(vertx, config().getString(ConfigKeys.JWT_SECRET), config().getInteger(ConfigKeys.JWT_TTL_MINUTES, 60));
    int instances = Math.max(1, config().getInteger(ConfigKeys.HTTP_INSTANCES, 1));
    maxInFlight = Math.max(1, (config().getInteger(ConfigKeys.HTTP_MAX_IN_FLIGHT, 256) + instances - 1) / instances);
    metrics = NodeMetrics.of(vertx);
    SecurityHeaders headers = new SecurityHeaders(config().getBoolean(ConfigKeys.HSTS, false));
    Router router = Router.router(vertx);
    router.route().handler(this::requestId);
    router.route().handler(ctx -> {
      headers.apply(ctx.response());
      ctx.next();
    });
    router.get("/health").handler(this::health);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    String metricsToken = config().getString(ConfigKeys.METRICS_TOKEN);
    if (metricsToken != null) router.get("/metrics").handler(ctx -> scrape(ctx, metricsToken));
    List<String> origins = config().getJsonArray(ConfigKeys.ALLOWED_ORIGINS, new JsonArray()).stream()
      .map(Object::toString).toList();
    OriginCheck originCheck = new OriginCheck(origins);
    // SockJS's xhr transports need their POST bodies read (and capped: 413 past the limit, declared or not)
    router.route("/eventbus/*").handler(originCheck);
    router.route("/eventbus/*").handler(this::refuseSocketsWhileDraining);
    router.post("/eventbus/*").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES).setHandleFileUploads(false));
    router.route("/eventbus/*").subRouter(rooms.sockJsRouter(vertx, tokens));
    if (!origins.isEmpty()) {
      router.route("/api/*").handler(CorsHandler.create().addOrigins(origins)
        .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key"))
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)));
    }
    router.route("/api/*").subRouter(apiRouter());
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400));
    router.route().handler(StaticHandler.create(config().getString(ConfigKeys.WEBROOT, "webroot"))
      .setCachingEnabled(false));
    router.route().last().handler(ctx -> fail(ctx, new PortalException(ErrorCode.NOT_FOUND, "no such page")));
    router.route().failureHandler(this::failure);

    server = vertx.createHttpServer(new HttpServerOptions()
      .setHost(config().getString(ConfigKeys.HTTP_HOST, "0.0.0.0"))
      .setPort(config().getInteger(ConfigKeys.HTTP_PORT, 8080))
      .setMaxWebSocketFrameSize(BODY_LIMIT_BYTES)
      .setMaxWebSocketMessageSize(BODY_LIMIT_BYTES)
      // every write to a connection happens on its own event loop (replies on this verticle's context, socket
      // writes posted to it by RoomHub), so connections need no cross-thread outbound queue: ~4 KB less each
      .setStrictThreadMode(true)
      // browsers offer permessage-deflate: accepted, it costs ~100 KB of native memory and a deflate per socket per
      // message, and every socket would need its own bytes; bridge frames are small JSON, encoded once for all
      .setPerMessageWebSocketCompressionSupported(false)
      .setPerFrameWebSocketCompressionSupported(false)
      .setCompressionSupported(true));
    // WebSocket upgrades bypass the router: the room hub takes them directly (see WebSocketTransport)
    server.webSocketHandshakeHandler(handshake -> rooms.handshake(handshake, vertx, tokens, originCheck));
    int port = config().getInteger(ConfigKeys.HTTP_PORT, 8080);
    // a request line or headers too long to parse never reach the router: answer them in the contract's shape too
    server.invalidRequestHandler(req -> invalidRequest(req, headers));
    return server.requestHandler(router).listen().recover(t -> Future.failedFuture(new IllegalStateException(
      "PORTAL_HTTP_PORT: cannot listen on port " + port + " (" + t.getMessage() + "): stop what listens there or"
        + " choose another port", t)));
  }

  /**
   * Every request gets an id (the proxy's {@code X-Request-Id} if it sent a tame one), answered in the same header,
   * kept on the request's context for the bus and the logs, and one access-log line when it ends.
   */
  private void requestId(RoutingContext ctx) {
    String id = RequestIds.accept(ctx.request().getHeader(RequestIds.HTTP_HEADER));
    RequestIds.set(id);
    ctx.response().putHeader(RequestIds.HTTP_HEADER, id);
    long t0 = System.nanoTime();
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    ctx.addEndHandler(ar -> {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      int status = ctx.response().getStatusCode();
      // probes and scrapes come every few seconds: only at debug level
      if (path.startsWith("/health") || path.equals("/metrics")) {
        ACCESS.debug("{} {} {} {} ms", method, path, status, ms);
      } else {
        ACCESS.info("{} {} {} {} ms", method, path, status, ms);
      }
    });
    ctx.next();
  }

  /** A draining node takes no new sockets (nor SockJS polls): the client reconnects, through the balancer, elsewhere. */
  private void refuseSocketsWhileDraining(RoutingContext ctx) {
    if (!state.draining()) {
      ctx.next();
      return;
    }
    fail(ctx, PortalException.unavailable("this node is shutting down, please reconnect"));
  }

  /** Prometheus' text format for a scraper that shows the token; 404 to anyone else, as if there were nothing. */
  private void scrape(RoutingContext ctx, String token) {
    String given = Tokens.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
      token.getBytes(StandardCharsets.UTF_8))) {
      fail(ctx, new PortalException(ErrorCode.NOT_FOUND, "no such page"));
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MetricsEndpoint.CONTENT_TYPE).end(metrics.scrape());
  }

  private Router apiRouter() {
    Router api = Router.router(vertx);
    api.route().handler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES).setHandleFileUploads(false));
    api.route().handler(this::jsonOnly);
    for (ApiRoute route : ApiRoutes.ALL) {
      api.route(route.method(), route.routerPath())
        .handler(ctx -> authorize(ctx, route))
        .handler(ctx -> forward(ctx, route));
    }
    api.route().last().handler(ctx -> fail(ctx, new PortalException(ErrorCode.NOT_FOUND, "no such route")));
    api.route().failureHandler(this::failure);
    return api;
  }

  /** 414, 431 or 400 for a request Netty could not decode, with the contract's error body; the connection closes. */
  private static void invalidRequest(HttpServerRequest req, SecurityHeaders headers) {
    Throwable cause = req.decoderResult().cause();
    PortalException error = cause instanceof TooLongHttpLineException
      ? new PortalException(ErrorCode.URI_TOO_LONG, "the request line is too long")
      : cause instanceof TooLongHttpHeaderException
      ? new PortalException(ErrorCode.HEADERS_TOO_LARGE, "the request headers are too large")
      : new PortalException(ErrorCode.INVALID_REQUEST, "the request could not be read");
    HttpServerResponse response = req.response();
    headers.apply(response);
    response.setStatusCode(error.code().httpStatus()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CONNECTION, "close")
      .end(new JsonObject().put("error", error.toJson()).toBuffer())
      .onComplete(ar -> req.connection().close());
  }

  /** A body, when there is one, must be a JSON object sent as application/json. */
  private void jsonOnly(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    boolean mayHaveBody = m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
    // length() is -1, not 0, when a POST came with no body at all (e.g. POST /notifications/read-all)
    if (!mayHaveBody || ctx.body().length() <= 0) {
      ctx.next();
      return;
    }
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      fail(ctx, new PortalException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send application/json"));
      return;
    }
    try {
      Object parsed = ctx.body().buffer().toJsonValue();
      if (!(parsed instanceof JsonObject)) {
        fail(ctx, new PortalException(ErrorCode.INVALID_JSON, "the body must be a JSON object"));
        return;
      }
      String broken = CanonicalText.firstBrokenField((JsonObject) parsed);
      if (broken != null) {
        // PostgreSQL would store a lone surrogate as '?': refused rather than silently changed
        fail(ctx, PortalException.invalid(broken, "must be valid Unicode text (no lone surrogates)"));
        return;
      }
    } catch (DecodeException e) {
      fail(ctx, new PortalException(ErrorCode.INVALID_JSON, "the body is not valid JSON"));
      return;
    }
    ctx.next();
  }

  /** Authentication and roles for every route, from the route table. */
  private void authorize(RoutingContext ctx, ApiRoute route) {
    if (!route.access().authenticated()) {
      ctx.next();
      return;
    }
    String token = Tokens.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    tokens.verify(token).onComplete(ar -> {
      if (ar.failed()) {
        if (token != null) denied(ctx, null, "invalid_token");
        fail(ctx, (PortalException) ar.cause());
        return;
      }
      Actor actor = ar.result().actor();
      if (!route.access().allows(actor.role())) {
        denied(ctx, actor, "role");
        fail(ctx, PortalException.forbidden("your role may not do this"));
        return;
      }
      ctx.put(ACTOR, actor);
      ctx.next();
    });
  }

  private void denied(RoutingContext ctx, Actor actor, String reason) {
    JsonObject record = new JsonObject().put("entityType", "route").put("action", "access_denied")
      .put("detail", new JsonObject().put("method", ctx.request().method().name())
        .put("path", ctx.request().path()).put("reason", reason));
    if (actor != null) record.put("actor", actor.toJson());
    // recorded by this node's audit log (as every request of this node is served here), under the request's id
    Bus.sendLocal(vertx, AuditAddresses.RECORD, record);
  }

  private void forward(RoutingContext ctx, ApiRoute route) {
    if (inFlight >= maxInFlight) {
      refuse(ctx);
      return;
    }
    Actor actor = ctx.get(ACTOR);
    JsonObject params = new JsonObject();
    ctx.queryParams().forEach(e -> params.put(e.getKey(), e.getValue()));
    // path last: ?id=9 on /entries/5/status must never name entry 9
    ctx.pathParams().forEach(params::put);
    JsonObject body = ctx.body().length() <= 0 ? new JsonObject() : ctx.body().asJsonObject();
    JsonObject message = BusRequest.message(actor == null ? Actor.SYSTEM : actor, params, body);
    if (actor == null) message.remove(BusRequest.ACTOR); // public routes act for nobody
    // set by the server, never by the client: the address sign-in throttling counts by
    JsonObject client = new JsonObject().put("address", ctx.request().remoteAddress() == null ? "unknown"
      : ctx.request().remoteAddress().hostAddress());
    message.put(BusRequest.CLIENT, client);
    String idempotencyKey = ctx.request().getHeader(IdempotencyAddresses.HEADER);
    Future<IdempotentCall.Outcome> outcome;
    if (idempotencyKey != null && actor != null && route.method() == HttpMethod.POST) {
      // a retried POST with the same key gets the first answer back and changes nothing (docs/api.md)
      outcome = IdempotentCall.run(vertx, actor, idempotencyKey, route.method().name(), ctx.request().path(),
        ctx.body().buffer(), route.status(), keyed -> {
          client.put(IdempotentCommand.FIELD, keyed);
          return call(route, message);
        });
    } else {
      outcome = call(route, message).map(reply -> new IdempotentCall.Outcome(route.status(), reply, false));
    }
    inFlight++;
    outcome.onComplete(ar -> {
      inFlight--;
      if (route.address().equals(AccountAddresses.LOGIN)) countSignIn(ar.succeeded() ? null : ar.cause());
      if (ar.succeeded()) {
        if (ar.result().replayed()) {
          metrics.idempotentReplay();
          ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        respond(ctx, ar.result().status(), ar.result().body());
      } else if (ar.cause() instanceof PortalException pe) {
        fail(ctx, pe);
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private void countSignIn(Throwable failure) {
    if (failure == null) {
      metrics.signIn("ok");
    } else if (failure instanceof PortalException pe) {
      metrics.signIn(switch (pe.code().httpStatus()) {
        case 401 -> "failed";
        case 429 -> "throttled";
        case 503 -> "busy";
        default -> "error";
      });
    }
  }

  /** Saturated: 503 at once rather than one more request waiting in a queue. */
  private void refuse(RoutingContext ctx) {
    refused++;
    long now = System.nanoTime() / 1_000_000;
    if (now - refusedLoggedAt >= BUSY_LOG_INTERVAL_MS) {
      LOG.warn("busy: {} bus requests in flight on this HTTP instance; refused {} request(s) since the last report",
        inFlight, refused);
      refused = 0;
      refusedLoggedAt = now;
    }
    fail(ctx, PortalException.busy());
  }

  /** The route's bus request; the reply gains a token on sign-in routes. Fails with a {@link PortalException}. */
  private Future<JsonObject> call(ApiRoute route, JsonObject message) {
    // served on this node: a request never waits on another node, nor on one that just died
    return Bus.requestLocal(vertx, route.address(), message).map(reply -> {
      if (route.issuesToken()) {
        JsonObject user = reply.getJsonObject("user");
        reply.put("token", tokens.issue(user.getLong("id"), Role.parse(user.getString("role")).orElseThrow()));
      }
      return reply;
    });
  }

  private static void respond(RoutingContext ctx, int status, JsonObject reply) {
    if (status == 204) {
      ctx.response().setStatusCode(204).end();
    } else {
      ctx.response().setStatusCode(status);
      ctx.json(reply);
    }
  }

  private void health(RoutingContext ctx) {
    Bus.requestLocal(vertx, HealthProbe.ADDRESS, new JsonObject(), 3_000).onComplete(ar -> {
      JsonObject status = ar.succeeded() ? ar.result()
        : new JsonObject().put("status", "DOWN").put("database", "UNKNOWN");
      ctx.response().setStatusCode("UP".equals(status.getString("status")) ? 200 : 503);
      ctx.json(status);
    });
  }

  /**
   * For a balancer or orchestrator: 200 while this node should get traffic — its database answers, it is in the
   * cluster when clustered, and it is not draining; 503 otherwise (at once while draining, without asking anyone).
   */
  private void ready(RoutingContext ctx) {
    if (state.draining()) {
      ctx.response().setStatusCode(503);
      ctx.json(new JsonObject().put("status", "DOWN").put("draining", true));
      return;
    }
    Bus.requestLocal(vertx, HealthProbe.ADDRESS, new JsonObject(), 3_000).onComplete(ar -> {
      JsonObject probe = ar.succeeded() ? ar.result() : new JsonObject().put("database", "UNKNOWN");
      JsonObject cluster = probe.getJsonObject("cluster", new JsonObject());
      boolean joined = !cluster.getBoolean("enabled", false) || cluster.getBoolean("joined", false);
      boolean ready = "UP".equals(probe.getString("database")) && joined && !state.draining();
      ctx.response().setStatusCode(ready ? 200 : 503);
      ctx.json(probe.put("status", ready ? "UP" : "DOWN").put("draining", state.draining()));
    });
  }

  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof PortalException pe) {
      fail(ctx, pe);
      return;
    }
    int status = ctx.statusCode();
    ErrorCode code = switch (status) {
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 400 -> ErrorCode.INVALID_JSON;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      default -> ErrorCode.INTERNAL;
    };
    if (code == ErrorCode.INTERNAL) LOG.error("unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), t);
    fail(ctx, new PortalException(code, switch (code) {
      case PAYLOAD_TOO_LARGE -> "the body is larger than " + BODY_LIMIT_BYTES + " bytes";
      case INTERNAL -> "internal error";
      default -> code.wire().replace('_', ' ');
    }));
  }

  /** Writes the contract's error body with the status its code maps to, and Retry-After when it is retryable. */
  static void fail(RoutingContext ctx, PortalException e) {
    if (ctx.response().ended()) return;
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(e.code().httpStatus());
    if (e.code() == ErrorCode.UNAUTHORIZED) ctx.response().putHeader("WWW-Authenticate", "Bearer");
    int retryAfter = e.retryAfterSeconds();
    if (retryAfter > 0) ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfter));
    ctx.json(new JsonObject().put("error", e.toJson()));
  }

  @Override
  public Future<?> stop() {
    // stops accepting; in-flight requests finish (for up to the grace) before the node undeploys the stores
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
  }

}
