package edu.mentoring.portal.accounts;

import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.idempotency.IdempotentCommand;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Owns cohort invitations: an admin or one of the cohort's mentors issues one (a random code, shown once, with an
 * expiry and a use limit), lists them, revokes one. Registering with a valid code joins its cohort
 * ({@link AccountStore} claims the use in the registration's own transaction, {@link InvitationSql#CLAIM}).
 */
public class InvitationStore extends VerticleBase {
  static final int DEFAULT_MAX_USES = 30;
  static final int MAX_USES = 1000;
  static final int DEFAULT_HOURS = 7 * 24;
  static final int MAX_HOURS = 30 * 24;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Pool pool;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return Future.all(
      Bus.serve(vertx, AccountAddresses.CREATE_INVITATION, Map.of(), this::create).completion(),
      Bus.serve(vertx, AccountAddresses.LIST_INVITATIONS, Map.of(), this::list).completion(),
      Bus.serve(vertx, AccountAddresses.REVOKE_INVITATION, Map.of(), this::revoke).completion());
  }

  /** 128 random bits, URL-safe: unguessable, and fits in a link ({@code /?invitation=...}). */
  static String newCode() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String code) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(code.trim().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private Future<JsonObject> create(BusRequest req) {
    Actor actor = req.actor();
    long cohortId = req.pathId("id", "cohort");
    Input in = req.input();
    int maxUses = bounded(in, req.body(), "maxUses", DEFAULT_MAX_USES, MAX_USES);
    int hours = bounded(in, req.body(), "expiresInHours", DEFAULT_HOURS, MAX_HOURS);
    in.validate();
    String code = newCode();
    Map<String, Object> p = new HashMap<>();
    p.put("codeHash", hash(code));
    p.put("cohortId", cohortId);
    p.put("createdBy", actor.id());
    p.put("maxUses", maxUses);
    p.put("hours", hours);
    return IdempotentCommand.transaction(pool, req, conn -> mayManage(conn, actor, cohortId)
      .compose(v -> SqlTemplate.forQuery(conn, InvitationSql.INSERT).mapTo(InvitationSql.INVITATION).execute(p))
      .map(rows -> rows.iterator().next())
      // the code itself is not audited: the trail must not hold usable codes
      .compose(inv -> AuditTrail.record(conn, actor, "invitation", inv.getLong("id"), "create", null, inv).map(inv)))
      .map(inv -> inv.put("code", code).put("link", "/?invitation=" + code));
  }

  private static int bounded(Input in, JsonObject body, String field, int dflt, int max) {
    Object v = body.getValue(field);
    if (v == null) return dflt;
    if (v instanceof Integer n && n >= 1 && n <= max) return n;
    in.problem(field, "must be an integer from 1 to " + max);
    return dflt;
  }

  private Future<JsonObject> list(BusRequest req) {
    Actor actor = req.actor();
    long cohortId = req.pathId("id", "cohort");
    return mayManage(pool, actor, cohortId)
      .compose(v -> SqlTemplate.forQuery(pool, InvitationSql.OF_COHORT).mapTo(InvitationSql.INVITATION)
        .execute(Map.of("cohortId", cohortId)))
      .map(Pages::items);
  }

  private Future<JsonObject> revoke(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "invitation");
    return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, InvitationSql.BY_ID).mapTo(InvitationSql.INVITATION)
      .execute(Map.of("id", id))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(PortalException.notFound("invitation"))
        : mayManage(conn, actor, rows.iterator().next().getLong("cohortId"), "invitation").map(rows.iterator().next()))
      .compose(before -> SqlTemplate.forQuery(conn, InvitationSql.REVOKE).mapTo(InvitationSql.INVITATION)
        .execute(Map.of("id", id)).map(rows -> rows.iterator().next())
        .compose(after -> AuditTrail.record(conn, actor, "invitation", id, "revoke", before, after)))
      .map(v -> new JsonObject()));
  }

  private static Future<Void> mayManage(SqlClient client, Actor actor, long cohortId) {
    return mayManage(client, actor, cohortId, "cohort");
  }

  /** Neither an admin nor a mentor of the cohort: 404, as for anything the caller may not see. */
  private static Future<Void> mayManage(SqlClient client, Actor actor, long cohortId, String what) {
    if (!actor.isAdmin() && actor.role() != edu.mentoring.portal.common.Role.MENTOR) {
      return Future.failedFuture(PortalException.notFound(what));
    }
    Map<String, Object> p = new HashMap<>();
    p.put("cohortId", cohortId);
    p.put("admin", actor.isAdmin());
    p.put("userId", actor.id());
    return SqlTemplate.forQuery(client, InvitationSql.MAY_MANAGE).execute(p)
      .compose(rows -> rows.size() == 1 ? Future.succeededFuture() : Future.failedFuture(PortalException.notFound(what)));
  }
}
