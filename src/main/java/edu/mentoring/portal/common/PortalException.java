package edu.mentoring.portal.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A failure with a contract error code; travels over the bus as {@code fail(code.number(), body.encode())}. */
public class PortalException extends RuntimeException {
  private final ErrorCode code;
  private final JsonArray details;

  public PortalException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public PortalException(ErrorCode code, String message, JsonArray details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
  }

  public ErrorCode code() { return code; }

  public JsonArray details() { return details; }

  /** The contract's {@code error} object (without the outer {@code {"error": ...}}). */
  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code.wire()).put("message", getMessage());
    if (details != null && !details.isEmpty()) {
      error.put("details", details);
    }
    return error;
  }

  public static PortalException fromJson(ErrorCode code, JsonObject error) {
    return new PortalException(code, error.getString("message", code.wire()), error.getJsonArray("details"));
  }

  public static PortalException notFound(String what) {
    return new PortalException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static PortalException forbidden(String message) {
    return new PortalException(ErrorCode.FORBIDDEN, message);
  }

  public static PortalException conflict(String message) {
    return new PortalException(ErrorCode.CONFLICT, message);
  }

  public static PortalException invalid(String field, String problem) {
    return new PortalException(ErrorCode.VALIDATION_FAILED, field + " " + problem,
      new JsonArray().add(new JsonObject().put("field", field).put("problem", problem)));
  }

  /** A retryable 503: the node is saturated or the database did not answer in time. */
  public static PortalException unavailable(String message) {
    return new PortalException(ErrorCode.UNAVAILABLE, message);
  }

  /** A retryable 503 for a request refused, not run, because the node is at one of its limits. */
  public static PortalException busy() {
    return unavailable("the portal is busy, please retry in a moment");
  }

  public static PortalException illegalTransition(String message) {
    return new PortalException(ErrorCode.ILLEGAL_TRANSITION, message);
  }
}
