package edu.mentoring.portal.accounts;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;

/**
 * Issues and verifies the portal's JWTs (HS256, {@code sub}, {@code role}, {@code exp}, {@code iat}, {@code iss}).
 * Stricter than vertx-auth-jwt alone: a token without {@code exp}, or with an unknown role, is refused.
 */
public final class Tokens {
  public static final String ISSUER = "mentoring-portal";
  public static final int MIN_SECRET_BYTES = 32;
  /** The 401 message of a deactivated account's token or sign-in (the web client says so in words). */
  public static final String DEACTIVATED = "this account has been deactivated";

  private final Vertx vertx;
  private final JWTAuth jwt;
  private final int ttlMinutes;

  private Tokens(Vertx vertx, JWTAuth jwt, int ttlMinutes) {
    this.vertx = vertx;
    this.jwt = jwt;
    this.ttlMinutes = ttlMinutes;
  }

  public static Tokens create(Vertx vertx, String secret, int ttlMinutes) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      // with no key vertx-auth-jwt would accept unsigned tokens: never start like that
      throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
      .setJWTOptions(new JWTOptions().setIssuer(ISSUER)));
    return new Tokens(vertx, jwt, ttlMinutes);
  }

  /** A token for the user; none for a deactivated account (its sign-in is refused like a wrong password). */
  public String issue(long userId, Role role) {
    if (Deactivated.is(vertx, userId)) throw new PortalException(ErrorCode.UNAUTHORIZED, DEACTIVATED);
    return jwt.generateToken(new JsonObject().put("sub", Long.toString(userId)).put("role", role.wire()),
      new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setExpiresInMinutes(ttlMinutes));
  }

  public int ttlMinutes() {
    return ttlMinutes;
  }

  /** The caller a token names, or {@code unauthorized}. */
  public Future<Verified> verify(String token) {
    if (token == null || token.isBlank() || token.length() > 4096) {
      return Future.failedFuture(new PortalException(ErrorCode.UNAUTHORIZED, "missing or invalid token"));
    }
    Future<User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt throws (not fails) on some well-signed but malformed claims, e.g. a non-numeric exp
      authenticated = Future.failedFuture(e);
    }
    return authenticated
      .recover(t -> Future.failedFuture(new PortalException(ErrorCode.UNAUTHORIZED, "invalid or expired token")))
      .compose(user -> {
        JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
        Object exp = claims.getValue("exp");
        Object sub = claims.getValue("sub");
        Role role = Role.parse(claims.getString("role")).orElse(null);
        if (!(exp instanceof Number) || !(sub instanceof String s) || !s.matches("[1-9]\\d{0,17}") || role == null) {
          return Future.failedFuture(new PortalException(ErrorCode.UNAUTHORIZED, "invalid token"));
        }
        if (Deactivated.is(vertx, Long.parseLong(s))) {
          // a valid signature is not enough: an admin may have closed the account since the token was issued
          return Future.failedFuture(new PortalException(ErrorCode.UNAUTHORIZED, DEACTIVATED));
        }
        return Future.succeededFuture(new Verified(new Actor(Long.parseLong(s), role),
          ((Number) exp).longValue() * 1000L));
      });
  }

  /** A verified caller and when their token expires (epoch millis). */
  public record Verified(Actor actor, long expiresAtMillis) {
  }

  /** The token of an {@code Authorization: Bearer <jwt>} header, or null. */
  public static String bearer(String header) {
    if (header == null) return null;
    String h = header.trim();
    if (h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    return h.substring(7).trim();
  }
}
