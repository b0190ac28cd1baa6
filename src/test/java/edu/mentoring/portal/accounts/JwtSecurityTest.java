package edu.mentoring.portal.accounts;

import edu.mentoring.portal.bootstrap.ConfigException;
import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("JWT: only a token the portal signed, unexpired, naming a real role, gets in")
class JwtSecurityTest {
  private static final String OTHER_SECRET = "another-secret-that-is-also-long-enough-42";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;
  private static WebClient raw;

  @BeforeAll
  static void start() {
    raw = WebClient.create(portal.node().vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(portal.port()));
  }

  @AfterAll
  static void stop() {
    raw.close();
  }

  // ------------------------------------------------------------------ hand-made tokens

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** The claims the portal itself puts in a token, for {@code userId} as {@code role}. */
  private static JsonObject claims(long userId, String role) {
    return new JsonObject().put("sub", Long.toString(userId)).put("role", role).put("iat", now())
      .put("exp", now() + 600).put("iss", Tokens.ISSUER);
  }

  private static String b64(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** HS256 by hand: HMAC-SHA256 over "header.payload". */
  private static String sign(JsonObject claims, String secret) {
    String signingInput = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + b64(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** GET /api/auth/me with exactly this Authorization header (null: none). */
  private static Api.Response me(String authorization) {
    HttpRequest<Buffer> req = raw.get("/api/auth/me");
    if (authorization != null) req.putHeader("Authorization", authorization);
    HttpResponse<Buffer> r = req.send().await();
    return new Api.Response(r.statusCode(), r.body() == null ? Buffer.buffer() : r.body(), r.getHeader("Content-Type"));
  }

  private static void assertUnauthorized(String authorization) {
    Api.Response r = me(authorization);
    assertEquals(401, r.status(), () -> authorization + " → " + r);
    assertEquals("unauthorized", r.errorCode(), r::toString);
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
  }

  // ------------------------------------------------------------------ tests

  @Test
  @DisplayName("a token the portal issued, and one signed the same way by hand, both get 200")
  void validToken() {
    Api.Response issued = me("Bearer " + school.studentA.token());
    assertEquals(200, issued.status(), issued::toString);
    assertEquals(school.studentA.id(), issued.json().getLong("id"));
    // proves the hand signer below is right, so the refusals that follow are about what they change
    Api.Response byHand = me("Bearer " + sign(claims(school.studentA.id(), "student"), TestPortal.SECRET));
    assertEquals(200, byHand.status(), byHand::toString);
    assertEquals(school.studentA.id(), byHand.json().getLong("id"));
  }

  @Test
  @DisplayName("an unsigned token (alg none, empty signature) is refused")
  void unsigned() {
    String header = b64(new JsonObject().put("alg", "none").put("typ", "JWT"));
    String token = header + "." + b64(claims(school.admin.id(), "admin")) + ".";
    assertUnauthorized("Bearer " + token);
    assertUnauthorized("Bearer " + token.substring(0, token.length() - 1)); // without the trailing dot
  }

  @Test
  @DisplayName("a valid token whose payload is changed to role admin, signature kept, is refused")
  void tampered() {
    String[] parts = school.studentA.token().split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    payload.put("role", "admin");
    assertUnauthorized("Bearer " + parts[0] + "." + b64(payload) + "." + parts[2]);
    // and the student's real role still cannot reach an admin route
    assertEquals(403, api.get("/api/audit-logs", school.studentA.token()).status());
  }

  @Test
  @DisplayName("an expired token is refused")
  void expired() {
    JsonObject c = claims(school.studentA.id(), "student").put("iat", now() - 7200).put("exp", now() - 3600);
    assertUnauthorized("Bearer " + sign(c, TestPortal.SECRET));
  }

  @Test
  @DisplayName("a token signed with another key is refused")
  void otherKey() {
    assertUnauthorized("Bearer " + sign(claims(school.admin.id(), "admin"), OTHER_SECRET));
  }

  @Test
  @DisplayName("a correctly signed token without exp is refused")
  void noExp() {
    JsonObject c = claims(school.studentA.id(), "student");
    c.remove("exp");
    assertUnauthorized("Bearer " + sign(c, TestPortal.SECRET));
    assertUnauthorized("Bearer " + sign(c.copy().put("exp", "tomorrow"), TestPortal.SECRET));
  }

  @Test
  @DisplayName("a correctly signed token with a non-numeric sub, no sub, another issuer or an unknown role is refused")
  void badClaims() {
    assertUnauthorized("Bearer " + sign(claims(1, "student").put("sub", "abc"), TestPortal.SECRET));
    assertUnauthorized("Bearer " + sign(claims(1, "student").put("sub", "-1"), TestPortal.SECRET));
    assertUnauthorized("Bearer " + sign(claims(1, "student").put("sub", 1), TestPortal.SECRET));
    JsonObject noSub = claims(1, "student");
    noSub.remove("sub");
    assertUnauthorized("Bearer " + sign(noSub, TestPortal.SECRET));
    assertUnauthorized("Bearer " + sign(claims(school.studentA.id(), "superuser"), TestPortal.SECRET));
    assertUnauthorized("Bearer " + sign(claims(school.studentA.id(), "ADMIN"), TestPortal.SECRET));
    assertUnauthorized("Bearer " + sign(claims(school.studentA.id(), "student").put("iss", "someone-else"),
      TestPortal.SECRET));
    JsonObject noRole = claims(school.studentA.id(), "student");
    noRole.remove("role");
    assertUnauthorized("Bearer " + sign(noRole, TestPortal.SECRET));
  }

  @Test
  @DisplayName("garbage, a bare 'Bearer', another scheme, or no Authorization header at all get 401")
  void garbage() {
    assertUnauthorized("Bearer not-a-jwt");
    assertUnauthorized("Bearer a.b.c");
    assertUnauthorized("Bearer " + "x".repeat(5000));
    assertUnauthorized("Bearer");
    assertUnauthorized("Bearer ");
    assertUnauthorized("Basic " + B64.encodeToString("root@school.test:root-password-1".getBytes()));
    assertUnauthorized(school.studentA.token()); // the token without the scheme
    assertUnauthorized(null);
  }

  @Test
  @DisplayName("the real-time bridge refuses the same forged tokens with an err frame, and still accepts a good one")
  void bridgeRefusesForgedTokens() {
    String room = Rooms.user(school.studentA.id());
    JsonObject c = claims(school.studentA.id(), "student");
    String[] forged = {
      b64(new JsonObject().put("alg", "none")) + "." + b64(c) + ".",
      sign(c.copy().put("exp", now() - 60), TestPortal.SECRET),
      sign(c.copy().put("exp", "tomorrow"), TestPortal.SECRET),
      sign(c, OTHER_SECRET),
      "garbage"};
    try (BridgeClient bridge = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      for (String token : forged) {
        bridge.register(room, token);
        assertNotNull(bridge.awaitError(Duration.ofSeconds(5)), token);
      }
      assertEquals(0, portal.node().rooms().roomMembers(room));
      assertFalse(bridge.isClosed(), "a bad token costs the frame, not the socket");
      bridge.register(room, sign(c, TestPortal.SECRET));
      for (int i = 0; i < 100 && portal.node().rooms().roomMembers(room) == 0; i++) pause();
      assertEquals(1, portal.node().rooms().roomMembers(room));
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("Tokens refuses a secret under 32 bytes (no key would mean unsigned tokens pass)")
  void shortSecretInTokens() {
    Vertx vertx = portal.node().vertx();
    assertThrows(IllegalArgumentException.class, () -> Tokens.create(vertx, null, 60));
    assertThrows(IllegalArgumentException.class, () -> Tokens.create(vertx, "", 60));
    assertThrows(IllegalArgumentException.class, () -> Tokens.create(vertx, "x".repeat(31), 60));
    Tokens ok = Tokens.create(vertx, "x".repeat(32), 60);
    assertTrue(ok.issue(1, edu.mentoring.portal.common.Role.STUDENT).split("\\.").length == 3);
  }

  @Test
  @DisplayName("the configuration refuses a PORTAL_JWT_SECRET under 32 bytes, naming the setting")
  void shortSecretInConfig() {
    ConfigException e = assertThrows(ConfigException.class, () -> PortalConfig.from(Map.of(
      PortalConfig.DB_URL, "postgresql://u:p@localhost:5432/portal", PortalConfig.JWT_SECRET, "too-short")));
    assertTrue(e.getMessage().contains(PortalConfig.JWT_SECRET), e.getMessage());
  }
}
