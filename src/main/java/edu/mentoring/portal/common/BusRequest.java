package edu.mentoring.portal.common;

import io.vertx.core.json.JsonObject;

/**
 * The shape of every command and query on the bus (documented in docs/bus.md):
 * {@code {"actor": {...}, "params": {path and query parameters as strings}, "body": {...}}}.
 */
public record BusRequest(Actor actor, JsonObject params, JsonObject body) {

  public static final String ACTOR = "actor";
  public static final String PARAMS = "params";
  public static final String BODY = "body";

  public static BusRequest of(JsonObject message) {
    JsonObject params = message.getJsonObject(PARAMS, new JsonObject());
    JsonObject body = message.getJsonObject(BODY, new JsonObject());
    JsonObject actor = message.getJsonObject(ACTOR);
    return new BusRequest(actor == null ? null : Actor.fromJson(actor), params, body);
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

  /** A path id such as {@code /schedules/{id}}: anything but a positive integer names nothing, hence 404. */
  public long pathId(String name, String what) {
    String raw = params.getString(name);
    try {
      long id = Long.parseLong(raw);
      if (id > 0) return id;
    } catch (NumberFormatException | NullPointerException ignored) {
      // falls through to not found
    }
    throw PortalException.notFound(what);
  }

  public Input input() { return new Input(body); }

  public Input query() { return new Input(params); }
}
