package edu.mentoring.portal.common;

import io.vertx.core.json.JsonObject;

/**
 * Who asks: carried in every command on the bus as {@code "actor": {"id": 7, "role": "mentor"}}.
 * The HTTP verticle fills it from the verified JWT; stores trust it because browsers can never reach the bus.
 */
public record Actor(long id, Role role) {

  /** The portal itself (demo seed, start-up admin): may do what an admin may. */
  public static final Actor SYSTEM = new Actor(0, Role.ADMIN);

  public boolean is(Role r) { return role == r; }

  public boolean isAdmin() { return role == Role.ADMIN; }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("role", role.wire());
  }

  public static Actor fromJson(JsonObject json) {
    if (json == null) throw new PortalException(ErrorCode.UNAUTHORIZED, "no actor");
    Long id = json.getLong("id");
    Role role = Role.parse(json.getString("role"))
      .orElseThrow(() -> new PortalException(ErrorCode.UNAUTHORIZED, "unknown role"));
    if (id == null || id < 0) throw new PortalException(ErrorCode.UNAUTHORIZED, "bad actor id");
    return new Actor(id, role);
  }

  /** The audit trail stores no user id for the system actor. */
  public Long userIdOrNull() { return id == 0 ? null : id; }
}
