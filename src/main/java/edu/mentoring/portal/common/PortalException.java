package edu.mentoring.portal.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A failure with a contract error code; travels over the bus as {@code fail(code.number(), body.encode())}. */
public class PortalException extends RuntimeException {
  private final ErrorCode code;
  /** Travels on the bus beside the contract's fields and becomes {@code Retry-After}; never in the HTTP body. */
  static final String RETRY_AFTER = "retryAfterSeconds";
  private final JsonArray details;
  private final int retryAfterSeconds;

  public PortalException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public PortalException(ErrorCode code, String message, JsonArray details) {
    this(code, message, details, code.retryAfterSeconds());
  }

  private PortalException(ErrorCode code, String message, JsonArray details, int retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ErrorCode code() { return code; }

  /** Seconds a client should wait before retrying; 0: not a failure to retry as is. */
  public int retryAfterSeconds() { return retryAfterSeconds; }

  public JsonArray details() { return details; }

  /** The contract's {@code error} object (without the outer {@code {"error": ...}}). */
  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code.wire()).put("message", getMessage());
    if (details != null && !details.isEmpty()) {
      error.put("details", details);
    }
    return error;
  }

  /** {@link #toJson()} plus what the HTTP side needs besides the body (the Retry-After). */
  public JsonObject toBusJson() {
    JsonObject json = toJson();
    if (retryAfterSeconds != code.retryAfterSeconds()) json.put(RETRY_AFTER, retryAfterSeconds);
    return json;
  }

  public static PortalException fromJson(ErrorCode code, JsonObject error) {
    Object retry = error.getValue(RETRY_AFTER);
    return new PortalException(code, error.getString("message", code.wire()), error.getJsonArray("details"),
      retry instanceof Number n ? Math.max(1, n.intValue()) : code.retryAfterSeconds());
  }

  /** 429 {@code rate_limited}, to be retried after {@code seconds}. */
  public static PortalException rateLimited(String message, long seconds) {
    return new PortalException(ErrorCode.RATE_LIMITED, message, null, (int) Math.max(1, Math.min(seconds, 86_400)));
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
