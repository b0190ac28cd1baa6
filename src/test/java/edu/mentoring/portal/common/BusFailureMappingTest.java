package edu.mentoring.portal.common;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Failure mapping: the database's timeouts, a lost connection and a full pool are a retryable 503, never a 500")
class BusFailureMappingTest {

  private static PortalException mapped(Throwable t) {
    return Bus.toPortal(t, Map.of(), "test");
  }

  private static PgException pg(String state) {
    return new PgException("from the server", "ERROR", state, null);
  }

  @ParameterizedTest(name = "SQLSTATE {0} → 503 unavailable")
  @DisplayName("statement timeout, lock timeout, idle-in-transaction end, shutdowns, no free slots, connection errors")
  @ValueSource(strings = {"57014", "55P03", "25P03", "57P01", "57P02", "57P03", "57P05", "53300", "08006", "08003"})
  void retryableStates(String state) {
    PortalException e = mapped(pg(state));
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), state);
    assertEquals(503, e.code().httpStatus());
    assertEquals("unavailable", e.toJson().getString("code"));
  }

  @Test
  @DisplayName("a pool whose wait queue is full refuses with 503 unavailable")
  void poolTooBusy() {
    PortalException e = mapped(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 8"));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals(PortalException.busy().getMessage(), e.getMessage(), "no pool internals leak");
  }

  @Test
  @DisplayName("a command on a connection the server has ended, or one lost mid-command, is 503 unavailable")
  void connectionGone() {
    assertEquals(ErrorCode.UNAVAILABLE,
      mapped(VertxException.noStackTrace("Connection is not active now, current status: CLOSED")).code());
    assertEquals(ErrorCode.UNAVAILABLE, mapped(ClosedConnectionException.INSTANCE).code());
    assertEquals(ErrorCode.INTERNAL, mapped(VertxException.noStackTrace("something else")).code());
  }

  @Test
  @DisplayName("conflicts and bad data keep their codes, and an unknown database error is still a 500")
  void othersUnchanged() {
    assertEquals(ErrorCode.CONFLICT, mapped(pg("23505")).code());
    assertEquals(ErrorCode.CONFLICT, mapped(pg("40001")).code());
    assertEquals(ErrorCode.VALIDATION_FAILED, mapped(pg("22P02")).code());
    assertEquals(ErrorCode.INTERNAL, mapped(pg("XX000")).code());
  }

  @Test
  @DisplayName("only 503 unavailable (Retry-After: 1) and 429 rate_limited (60, unless the failure names its own) ask to be retried; every other code carries none")
  void retryAfter() {
    for (ErrorCode code : ErrorCode.values()) {
      int expected = code == ErrorCode.UNAVAILABLE ? 1 : code == ErrorCode.RATE_LIMITED ? 60 : 0;
      assertEquals(expected, code.retryAfterSeconds(), code.name());
    }
    // a lock's own wait crosses the bus beside the contract's body, and never shows in it
    PortalException locked = PortalException.rateLimited("locked", 842);
    PortalException carried = PortalException.fromJson(ErrorCode.RATE_LIMITED, locked.toBusJson());
    assertEquals(842, carried.retryAfterSeconds());
    assertEquals(java.util.Set.of("code", "message"), carried.toJson().fieldNames());
  }
}
