package edu.mentoring.portal.accounts;

import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An admin's management of every account: the directory, deactivation and reactivation (a deactivated user's tokens
 * and sockets stop at once, on every node), and one-time links to set a new password. See docs/api.md.
 */
public class UserAdmin extends VerticleBase {
  /** How long a password link stays valid. */
  static final int LINK_MINUTES = 24 * 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Pool pool;
  private Passwords passwords;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    passwords = Passwords.fromConfig(vertx, config());
    Future<Void> known = SqlTemplate.forQuery(pool, UserAdminSql.DEACTIVATED_IDS).execute(Map.of())
      .map(rows -> {
        rows.forEach(row -> Deactivated.set(vertx, row.getLong("id"), true));
        return null;
      });
    return Future.all(List.of(known,
      vertx.eventBus().<JsonObject>consumer(UserAdminAddresses.ACTIVE_CHANGED, msg -> Deactivated.set(vertx,
        msg.body().getLong("userId"), !msg.body().getBoolean("active"))).completion(),
      serve(UserAdminAddresses.LIST, this::list),
      serve(UserAdminAddresses.SET_ACTIVE, this::setActive),
      serve(UserAdminAddresses.RESET_LINK, this::resetLink),
      serve(UserAdminAddresses.RESET_PASSWORD, this::resetPassword)));
  }

  private Future<Void> serve(String address, Function<BusRequest, Future<JsonObject>> handler) {
    return Bus.serve(vertx, address, Map.of(), handler).completion();
  }

  private Future<JsonObject> list(BusRequest req) {
    Input q = req.query();
    String role = q.oneOf("role", List.of("admin", "mentor", "student"), false);
    String status = q.oneOf("status", List.of("active", "deactivated"), false);
    String text = q.optionalText("q", 200);
    int limit = q.limit("limit", 50, 200);
    long before = q.cursor("before", Long.MAX_VALUE);
    q.validate();
    Map<String, Object> p = new HashMap<>();
    p.put("role", role);
    p.put("status", status);
    p.put("q", text == null || text.isBlank() ? null : text.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"));
    p.put("before", before);
    p.put("limit", Pages.fetch(limit));
    return SqlTemplate.forQuery(pool, UserAdminSql.LIST).mapTo(UserAdminSql.USER).execute(p)
      .map(rows -> {
        List<JsonObject> users = new ArrayList<>();
        rows.forEach(users::add);
        return Pages.before(users, limit);
      });
  }

  /** PUT /users/{id}/active {active}: never oneself, never the last active admin; the same state again is a no-op. */
  private Future<JsonObject> setActive(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "user");
    Input in = req.input();
    Boolean active = in.optionalBool("active");
    in.check(active != null, "active", "is required (true or false)");
    in.validate();
    if (!active && id == actor.id()) throw PortalException.invalid("active", "cannot be false for your own account");
    return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, UserAdminSql.LOCK).mapTo(UserAdminSql.USER)
        .execute(Map.of("id", id))
        .compose(rows -> {
          if (rows.size() != 1) return Future.failedFuture(PortalException.notFound("user"));
          JsonObject before = rows.iterator().next();
          if (active.equals(before.getBoolean("active"))) return Future.succeededFuture(new Change(before, false));
          Future<Void> allowed = active || !"admin".equals(before.getString("role")) ? Future.succeededFuture()
            : SqlTemplate.forQuery(conn, UserAdminSql.OTHER_ACTIVE_ADMINS).execute(Map.of("id", id))
              .compose(others -> others.size() > 0 ? Future.<Void>succeededFuture()
                : Future.failedFuture(PortalException.conflict("the last active admin cannot be deactivated")));
          return allowed
            .compose(v -> SqlTemplate.forUpdate(conn, UserAdminSql.DROP_LINKS).execute(Map.of("userId", id)))
            .compose(v -> SqlTemplate.forQuery(conn, UserAdminSql.SET_ACTIVE).mapTo(UserAdminSql.USER)
              .execute(Map.of("id", id, "active", active)))
            .map(updated -> updated.iterator().next())
            .compose(after -> AuditTrail.record(conn, actor, "user", id, active ? "reactivate" : "deactivate",
              before, after).map(new Change(after, true)))
            // in order with the events: every node closes the user's sockets before it delivers anything after it
            .compose(change -> AccountStore.relationshipsChanged(conn, actor, "user", id, Set.of(id),
              new JsonObject().put("userId", id).put("active", active)).map(change));
        }))
      .map(change -> {
        if (change.changed()) {
          // this node at once (the reply must find the tokens refused), then every node's token checks (each
          // node's bridge also marks it when it reaches the change in the event stream, and closes the sockets)
          Deactivated.set(vertx, id, !active);
          vertx.eventBus().publish(UserAdminAddresses.ACTIVE_CHANGED, new JsonObject().put("userId", id).put("active", active));
        }
        return change.user();
      });
  }

  private record Change(JsonObject user, boolean changed) {
  }

  /** POST /users/{id}/password-reset: a one-time link for the admin to hand over; earlier unused links stop. */
  private Future<JsonObject> resetLink(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "user");
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, UserAdminSql.LOCK).mapTo(UserAdminSql.USER)
      .execute(Map.of("id", id))
      .compose(rows -> {
        if (rows.size() != 1) return Future.failedFuture(PortalException.notFound("user"));
        JsonObject user = rows.iterator().next();
        if (!user.getBoolean("active")) {
          return Future.failedFuture(PortalException.conflict("reactivate the account before resetting its password"));
        }
        Map<String, Object> p = new HashMap<>();
        p.put("tokenHash", sha256(token));
        p.put("userId", id);
        p.put("createdBy", actor.userIdOrNull());
        p.put("minutes", LINK_MINUTES);
        return SqlTemplate.forUpdate(conn, UserAdminSql.DROP_LINKS).execute(Map.of("userId", id))
          .compose(v -> SqlTemplate.forQuery(conn, UserAdminSql.INSERT_LINK).execute(p))
          .compose(inserted -> {
            String expiresAt = inserted.iterator().next().getOffsetDateTime("expires_at").toInstant().toString();
            // the audit trail says a link was made, never the link
            return AuditTrail.record(conn, actor, "user", id, "password_reset_link", null, null,
                new JsonObject().put("expiresAt", expiresAt))
              .map(new JsonObject().put("userId", id).put("path", "/#reset=" + token).put("expiresAt", expiresAt));
          });
      }));
  }

  /** POST /auth/password-reset {token, password}: spends the link, sets the password, signs the user in. */
  private Future<JsonObject> resetPassword(BusRequest req) {
    Input in = req.input();
    String token = in.text("token", 1, 200);
    String password = in.text("password", 1, 200);
    if (password != null && !Passwords.acceptable(password)) {
      in.problem("password", "must be " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_BYTES + " bytes");
    }
    in.validate();
    return passwords.hash(password).compose(hash -> pool.withTransaction(conn ->
      SqlTemplate.forQuery(conn, UserAdminSql.SPEND_LINK).execute(Map.of("tokenHash", sha256(token)))
        .compose(rows -> {
          if (rows.size() != 1) {
            return Future.failedFuture(PortalException.invalid("token",
              "is not a valid link: it was used, replaced or has expired (ask your admin for a new one)"));
          }
          long userId = rows.iterator().next().getLong("user_id");
          return SqlTemplate.forQuery(conn, UserAdminSql.SET_PASSWORD).mapTo(UserAdminSql.USER)
            .execute(Map.of("id", userId, "hash", hash))
            .map(users -> users.iterator().next())
            .compose(user -> AuditTrail.record(conn,
                new Actor(userId, Role.parse(user.getString("role")).orElseThrow()), "user", userId,
                "password_reset", null, null)
              .map(new JsonObject().put("user", user)));
        })));
  }

  static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
