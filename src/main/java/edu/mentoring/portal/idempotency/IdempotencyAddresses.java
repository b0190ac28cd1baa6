package edu.mentoring.portal.idempotency;

/**
 * Event-bus addresses served by {@link IdempotencyStore} (shapes in docs/api.md). Every message is a
 * {@code BusRequest} whose {@code body} names the key: {@code {userId, key, requestHash}}.
 */
public final class IdempotencyAddresses {
  /** The HTTP header a client sets on a POST it may retry. */
  public static final String HEADER = "Idempotency-Key";

  /**
   * Reserves the key, or finds what it already answered:
   * {@code {userId, key, requestHash}} → {@code {found: false}} (reserved: go ahead) or
   * {@code {found: true, statusCode, response}} (replay it); fails 422 {@code idempotency_mismatch} when the key
   * was used for another request, 409 {@code conflict} while the first request is still in progress.
   */
  public static final String LOOKUP = "idempotency.lookup";
  /** Stores a 2xx answer for a reserved key: {@code {userId, key, requestHash, statusCode, response}} → {@code {}}. */
  public static final String SAVE = "idempotency.save";
  /** Frees a reservation whose request failed, so that a retry runs again: {@code {userId, key}} → {@code {}}. */
  public static final String RELEASE = "idempotency.release";

  private IdempotencyAddresses() {
  }
}
