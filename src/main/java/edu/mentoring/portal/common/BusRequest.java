package edu.mentoring.portal.common;

import io.vertx.core.json.JsonObject;

/**
 * The shape of every command and query on the bus (documented in docs/bus.md):
 * {@code {"actor": {...}, "params": {path and query parameters as strings}, "body": {...}}}.
 */
public record BusRequest(Actor actor, JsonObject params, JsonObject body, JsonObject client) {

  public static final String ACTOR = "actor";
  public static final String PARAMS = "params";
  public static final String BODY = "body";
  /**
   * What the HTTP verticle (only) says about the request: {@code {address, idempotency?}} — who sent it (sign-in
   * throttling) and its Idempotency-Key (IdempotentCommand). Absent for calls between verticles.
   */
  public static final String CLIENT = "client";
  private static final java.util.regex.Pattern CANONICAL_ID = java.util.regex.Pattern.compile("[1-9][0-9]{0,17}");

  public static BusRequest of(JsonObject message) {
    JsonObject params = message.getJsonObject(PARAMS, new JsonObject());
    JsonObject body = message.getJsonObject(BODY, new JsonObject());
    JsonObject actor = message.getJsonObject(ACTOR);
    return new BusRequest(actor == null ? null : Actor.fromJson(actor), params, body,
      message.getJsonObject(CLIENT, new JsonObject()));
  }

  /** The sending client's network address, or {@code "unknown"} (a bus caller that is not the HTTP verticle). */
  public String clientAddress() {
    return client.getString("address", "unknown");
  }

  /** The caller; public commands (register, login) have none and never ask. */
  @Override
  public Actor actor() {
    if (actor == null) throw new PortalException(ErrorCode.UNAUTHORIZED, "sign in first");
    return actor;
  }

  public static JsonObject message(Actor actor, JsonObject params, JsonObject body) {
    return new JsonObject()
      .put(ACTOR, actor.toJson())
      .put(PARAMS, params == null ? new JsonObject() : params)
      .put(BODY, body == null ? new JsonObject() : body);
  }

  /**
   * A path id such as {@code /schedules/{id}}: ASCII digits, no sign, no leading zero ({@code Long.parseLong} would
   * also take {@code +1}, {@code 01} and other scripts' digits, so one object would have many names); anything else
   * names nothing, hence 404.
   */
  public long pathId(String name, String what) {
    String raw = params.getString(name);
    if (raw != null && CANONICAL_ID.matcher(raw).matches()) return Long.parseLong(raw);
    throw PortalException.notFound(what);
  }

  public Input input() { return new Input(body); }

  public Input query() { return new Input(params); }
}
