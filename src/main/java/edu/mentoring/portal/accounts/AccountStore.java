package edu.mentoring.portal.accounts;

import edu.mentoring.portal.audit.AuditAddresses;
import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.events.DomainEvent;
import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.events.Outbox;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.schedules.CohortSessions;
import edu.mentoring.portal.idempotency.IdempotentCommand;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Owns users, cohorts and the mentoring relationships between them. */
public class AccountStore extends VerticleBase {
  private static final List<String> ROLES = List.of("admin", "mentor", "student");
  private static final Map<String, PortalException> CONSTRAINTS = Map.of(
    "users_email_key", PortalException.conflict("an account with this email already exists"),
    "users_cohort_fk", PortalException.invalid("cohortId", "does not exist"),
    "cohorts_name_key", PortalException.conflict("a cohort with this name already exists"));

  private static final Logger LOG = LoggerFactory.getLogger(AccountStore.class);
  private static final long THROTTLE_SWEEP_MS = 3_600_000;
  private static final PortalException WRONG = new PortalException(ErrorCode.UNAUTHORIZED, "wrong email or password");

  private Pool pool;
  private Passwords passwords;
  private SignInThrottle throttle;
  /** {@code invitation} (the default) | {@code open} | {@code off}: PORTAL_SELF_REGISTRATION. */
  private String selfRegistration;
  private long sweeper = -1;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    passwords = Passwords.fromConfig(vertx, config());
    throttle = new SignInThrottle(pool, config());
    selfRegistration = config().getString(ConfigKeys.SELF_REGISTRATION, "invitation");
    // every node sweeps; deleting the same stale rows twice is harmless
    sweeper = vertx.setPeriodic(THROTTLE_SWEEP_MS, id -> throttle.expire()
      .onFailure(t -> LOG.warn("could not expire sign-in throttle rows", t)));
    return Future.all(List.of(
      serve(AccountAddresses.REGISTER, this::register),
      serve(AccountAddresses.LOGIN, this::login),
      serve(AccountAddresses.ME, this::me),
      serve(AccountAddresses.CREATE_USER, this::createUser),
      serve(AccountAddresses.LIST_STUDENTS, this::listStudents),
      serve(AccountAddresses.LIST_MENTORS, req -> SqlTemplate.forQuery(pool, AccountSql.ALL_MENTORS)
        .mapTo(AccountSql.USER).execute(Map.of()).map(Pages::items)),
      serve(AccountAddresses.ASSIGN_MENTOR, this::assignMentor),
      serve(AccountAddresses.ASSIGN_COHORT, this::assignCohort),
      serve(AccountAddresses.CREATE_COHORT, this::createCohort),
      serve(AccountAddresses.LIST_COHORTS, this::listCohorts),
      serve(AccountAddresses.ENSURE_ADMIN, this::ensureAdmin),
      serve(AccountAddresses.ROOM_GRANTS, this::roomGrants),
      serve(AccountAddresses.ROOM_GRANTS_MANY, this::roomGrantsMany),
      serve(AccountAddresses.COUNT, req -> SqlTemplate.forQuery(pool, AccountSql.COUNT_USERS).execute(Map.of())
        .map(rows -> new JsonObject().put("users", rows.iterator().next().getLong("n"))))));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    return Future.succeededFuture();
  }

  private Future<Void> serve(String address, java.util.function.Function<BusRequest, Future<JsonObject>> handler) {
    return Bus.serve(vertx, address, CONSTRAINTS, handler).completion();
  }

  // ------------------------------------------------------------------ sign-up and sign-in

  /**
   * A student signs up: with a valid cohort invitation they join its cohort; without one only when self-registration
   * is {@code open}. Naming a cohort directly is refused: knowing a number must not open a cohort's sessions.
   */
  private Future<JsonObject> register(BusRequest req) {
    if ("off".equals(selfRegistration)) {
      return Future.failedFuture(PortalException.forbidden("self-registration is off: ask your school for an account"));
    }
    Input in = req.input();
    String email = in.email("email");
    String password = password(in);
    String name = in.text("name", 1, 200);
    String given = in.optionalText("invitation", 100);
    String invitation = given == null || given.isBlank() ? null : given.trim();
    in.check(!req.body().containsKey("cohortId"), "cohortId",
      "cannot be chosen: register with a cohort invitation from your mentor");
    in.check(invitation != null || !"invitation".equals(selfRegistration), "invitation",
      "is required: ask your mentor or school for a cohort invitation");
    in.validate();
    return (fromHttp(req) ? throttle.signUp(req.clientAddress()) : Future.<Void>succeededFuture())
      .compose(v -> createAccount(req, Actor.SYSTEM, email, password, name, Role.STUDENT, null, invitation, "register"))
      .map(user -> new JsonObject().put("user", user));
  }

  /** Throttled only for callers on the network; start-up tasks and other verticles have no client address. */
  private static boolean fromHttp(BusRequest req) {
    return req.client().containsKey("address");
  }

  private static String password(Input in) {
    String password = in.text("password", 1, 200);
    if (password != null && !Passwords.acceptable(password)) {
      in.problem("password", "must be " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_BYTES + " bytes");
    }
    return password;
  }

  /**
   * One path for every new account (self-registration, admin, seed, start-up admin). An invitation's use is taken in
   * the same transaction as the account, so a refused or failed sign-up uses none of it.
   */
  private Future<JsonObject> createAccount(BusRequest req, Actor actor, String email, String password, String name,
                                           Role role, Long cohortId, String invitation, String action) {
    return passwords.hash(password).compose(hash -> IdempotentCommand.transaction(pool, req, conn -> {
      Map<String, Object> p = new HashMap<>();
      p.put("email", email);
      p.put("passwordHash", hash);
      p.put("name", name);
      p.put("role", role.wire());
      JsonObject detail = new JsonObject();
      Future<Long> cohort = invitation == null ? Future.succeededFuture(cohortId)
        : SqlTemplate.forQuery(conn, InvitationSql.CLAIM).execute(Map.of("codeHash", InvitationStore.hash(invitation)))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(PortalException.invalid("invitation",
                  "is not valid: unknown, expired, revoked or used up"));
              }
              Row claimed = rows.iterator().next();
              detail.put("invitationId", claimed.getLong("id"));
              return Future.succeededFuture(claimed.getLong("cohort_id"));
            });
      return cohort.compose(c -> {
          p.put("cohortId", c);
          return CohortRoll.lockForMove(conn, null, c);
        })
        .compose(v -> SqlTemplate.forQuery(conn, AccountSql.INSERT_USER).mapTo(AccountSql.USER).execute(p))
        .map(rows -> rows.iterator().next())
        .compose(user -> CohortSessions.moveMember(conn, user.getLong("id"), null, user.getLong("cohortId")).map(user))
        .compose(user -> {
          Actor who = action.equals("register") ? new Actor(user.getLong("id"), role) : actor;
          Future<Void> audit = AuditTrail.record(conn, who, "user", user.getLong("id"), action, null, user,
            detail.isEmpty() ? null : detail);
          Future<Void> event = role == Role.STUDENT ? announceStudent(conn, who, user) : Future.succeededFuture();
          return Future.all(audit, event).map(user);
        });
    }));
  }

  /**
   * {@code student:registered} → the student's mentors (all mentors if none yet, contract) and the admins. It carries
   * only what every recipient may see (no email: it stays in the activity feed for good), and notifies only the
   * student's own mentors, or the admins while the student has none.
   */
  private Future<Void> announceStudent(SqlConnection conn, Actor actor, JsonObject student) {
    long studentId = student.getLong("id");
    return SqlTemplate.forQuery(conn, AccountSql.MENTORS_OF_STUDENT).execute(Map.of("studentId", studentId))
      .compose(mine -> {
        boolean hasMentors = mine.size() > 0;
        Future<io.vertx.sqlclient.RowSet<Row>> audience = hasMentors ? Future.succeededFuture(mine)
          : SqlTemplate.forQuery(conn, AccountSql.ALL_MENTOR_IDS).execute(Map.of());
        Future<io.vertx.sqlclient.RowSet<Row>> told = hasMentors ? Future.succeededFuture(mine)
          : SqlTemplate.forQuery(conn, AccountSql.ALL_ADMIN_IDS).execute(Map.of());
        return Future.all(audience, told).map(v -> List.of(audience.result(), told.result()));
      })
      .compose(sets -> {
        List<String> rooms = new ArrayList<>();
        for (Row r : sets.get(0)) rooms.add(Rooms.mentor(r.getLong("mentor_id")));
        JsonArray notify = new JsonArray();
        for (Row r : sets.get(1)) {
          notify.add(new JsonObject().put("userId", r.getLong("mentor_id"))
            .put("title", "New student: " + student.getString("name"))
            .put("body", student.getString("name") + " joined the portal."));
        }
        rooms.add(Rooms.role(Role.ADMIN.wire()));
        JsonObject data = new JsonObject().put("student", publicView(student));
        return Outbox.append(conn, new DomainEvent(EventTypes.STUDENT_REGISTERED, actor, "user", studentId, data,
          rooms, notify));
      });
  }

  /** What every recipient of a registration may see: no email (mentors of other students receive it too). */
  private static JsonObject publicView(JsonObject student) {
    JsonObject view = student.copy();
    view.remove("email");
    return view;
  }

  private Future<JsonObject> login(BusRequest req) {
    Input in = req.input();
    String email = in.text("email", 1, 254);
    String password = in.text("password", 1, 200);
    if (email == null || password == null) {
      return Future.failedFuture(WRONG);
    }
    boolean throttled = fromHttp(req);
    String address = req.clientAddress();
    // a locked account or address is refused before any bcrypt work is spent on it
    return (throttled ? throttle.check(email, address) : Future.<Void>succeededFuture())
      .compose(v -> SqlTemplate.forQuery(pool, AccountSql.LOGIN_BY_EMAIL).execute(Map.of("email", email.trim())))
      .compose(rows -> {
        Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
        String hash = row == null ? null : row.getString("password_hash");
        return passwords.matches(password, hash).compose(ok -> {
          if (!ok) {
            Long userId = row == null ? null : row.getLong("id");
            audit(null, "user", userId, "login_failed", new JsonObject().put("email", email).put("address", address));
            if (!throttled) return Future.failedFuture(WRONG);
            return throttle.failed(email, address)
              .onSuccess(locks -> locks.forEach(lock -> locked(lock, userId, email, address)))
              .transform(ar -> Future.<JsonObject>failedFuture(WRONG));
          }
          JsonObject user = AccountSql.USER.map(row);
          audit(new Actor(user.getLong("id"), Role.parse(user.getString("role")).orElseThrow()), "user",
            user.getLong("id"), "login", null);
          Future<Void> cleared = throttled ? throttle.succeeded(email) : Future.succeededFuture();
          return cleared.otherwiseEmpty().map(v -> new JsonObject().put("user", user));
        });
      });
  }

  /** A lock began: audited and logged, so an operator sees a guessing attack. */
  private void locked(SignInThrottle.Locked lock, Long userId, String email, String address) {
    JsonObject detail = new JsonObject().put("scope", lock.scope()).put("address", address)
      .put("lockSeconds", throttle.lockSeconds());
    if ("account".equals(lock.scope())) detail.put("email", email);
    audit(null, "account".equals(lock.scope()) ? "user" : "address", "account".equals(lock.scope()) ? userId : null,
      "sign_in_locked", detail);
    LOG.warn("sign-in locked for {} s: too many failures for {} {}", throttle.lockSeconds(), lock.scope(),
      "account".equals(lock.scope()) ? email : address);
  }

  private void audit(Actor actor, String entityType, Long entityId, String action, JsonObject detail) {
    JsonObject record = new JsonObject().put("entityType", entityType).put("entityId", entityId)
      .put("action", action).put("detail", detail);
    if (actor != null) record.put("actor", actor.toJson());
    Bus.sendLocal(vertx, AuditAddresses.RECORD, record); // this node's audit log, under the request's id
  }

  /** The caller; a student's also names their mentors ({@code mentors: [{id, name}]}), whom their page shows. */
  private Future<JsonObject> me(BusRequest req) {
    Actor actor = req.actor();
    return userById(pool, actor.id()).compose(user -> !actor.is(Role.STUDENT) ? Future.succeededFuture(user)
      : SqlTemplate.forQuery(pool, AccountSql.MENTOR_NAMES).execute(Map.of("studentId", actor.id())).map(rows -> {
        JsonArray mentors = new JsonArray();
        rows.forEach(r -> mentors.add(new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name"))));
        return user.put("mentors", mentors);
      }));
  }

  private Future<JsonObject> userById(SqlClient client, long id) {
    return SqlTemplate.forQuery(client, AccountSql.USER_BY_ID).mapTo(AccountSql.USER).execute(Map.of("id", id))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(PortalException.notFound("user"))
        : Future.succeededFuture(rows.iterator().next()));
  }

  // ------------------------------------------------------------------ administration

  private Future<JsonObject> createUser(BusRequest req) {
    Input in = req.input();
    String email = in.email("email");
    String password = password(in);
    String name = in.text("name", 1, 200);
    String role = in.oneOf("role", ROLES, true);
    in.validate();
    return createAccount(req, req.actor(), email, password, name, Role.parse(role).orElseThrow(), null, null, "create");
  }

  private Future<JsonObject> ensureAdmin(BusRequest req) {
    Input in = req.input();
    String email = in.email("email");
    String password = password(in);
    String name = in.text("name", 1, 200);
    in.validate();
    return SqlTemplate.forQuery(pool, AccountSql.ANY_ADMIN).execute(Map.of()).compose(rows -> {
      if (rows.size() > 0) return Future.succeededFuture(new JsonObject().put("created", false));
      return createAccount(req, Actor.SYSTEM, email, password, name, Role.ADMIN, null, null, "create")
        .map(u -> new JsonObject().put("created", true).put("user", u))
        // another node created it at the same moment: fine
        .recover(t -> t instanceof PortalException pe && pe.code() == ErrorCode.CONFLICT
          ? Future.succeededFuture(new JsonObject().put("created", false)) : Future.failedFuture(t));
    });
  }

  private Future<JsonObject> listStudents(BusRequest req) {
    Actor actor = req.actor();
    var query = actor.isAdmin()
      ? SqlTemplate.forQuery(pool, AccountSql.ALL_STUDENTS).mapTo(AccountSql.USER).execute(Map.of())
      : SqlTemplate.forQuery(pool, AccountSql.STUDENTS_OF_MENTOR).mapTo(AccountSql.USER)
          .execute(Map.of("mentorId", actor.id()));
    return query.map(Pages::items);
  }

  private Future<JsonObject> assignMentor(BusRequest req) {
    long studentId = req.pathId("id", "student");
    Input in = req.input();
    check(in.has("mentorId") || req.body().containsKey("mentorId"), in, "mentorId");
    Long mentorId = in.optionalId("mentorId");
    in.validate();
    return reassign(req.actor(), studentId, "assign_mentor", conn -> mentorId == null ? Future.succeededFuture()
        : requireRole(conn, mentorId, Role.MENTOR, "mentorId", "is not a mentor"),
      AccountSql.SET_MENTOR, Map.of("id", studentId), "mentorId", mentorId);
  }

  private Future<JsonObject> assignCohort(BusRequest req) {
    long studentId = req.pathId("id", "student");
    Input in = req.input();
    check(req.body().containsKey("cohortId"), in, "cohortId");
    Long cohortId = in.optionalId("cohortId");
    in.validate();
    return reassign(req.actor(), studentId, "assign_cohort", conn -> cohortId == null ? Future.succeededFuture()
        : SqlTemplate.forQuery(conn, AccountSql.COHORT_EXISTS).execute(Map.of("id", cohortId))
            .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
              : Future.failedFuture(PortalException.invalid("cohortId", "does not exist"))),
      AccountSql.SET_COHORT, Map.of("id", studentId), "cohortId", cohortId);
  }

  private static void check(boolean present, Input in, String field) {
    if (!present) in.problem(field, "is required (null to unassign)");
  }

  /**
   * Changes a student's mentor or cohort under a row lock, moves them between the cohorts' sessions still to come,
   * audits it and, in the same transaction, tells everyone concerned (the student, their mentors before and after)
   * to re-read their rooms ({@link #relationshipsChanged}).
   */
  private Future<JsonObject> reassign(Actor actor, long studentId, String action,
                                      java.util.function.Function<SqlClient, Future<?>> precheck,
                                      String update, Map<String, Object> key, String field, Long value) {
    Set<Long> concerned = new LinkedHashSet<>(List.of(studentId));
    return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, AccountSql.USER_BY_ID_FOR_UPDATE)
        .mapTo(AccountSql.USER).execute(Map.of("id", studentId))
        .compose(rows -> {
          JsonObject before = rows.size() == 1 ? rows.iterator().next() : null;
          if (before == null || !"student".equals(before.getString("role"))) {
            return Future.failedFuture(PortalException.notFound("student"));
          }
          Map<String, Object> p = new HashMap<>(key);
          p.put(field, value);
          Long toCohort = "cohortId".equals(field) ? value : before.getLong("cohortId");
          return CohortRoll.lockForMove(conn, before.getLong("cohortId"), toCohort)
            .compose(v -> addMentorsOf(conn, studentId, concerned))
            .compose(v -> precheck.apply(conn))
            .compose(v -> SqlTemplate.forQuery(conn, update).mapTo(AccountSql.USER).execute(p))
            .map(after -> after.iterator().next())
            .compose(after -> CohortSessions.moveMember(conn, studentId, before.getLong("cohortId"),
              after.getLong("cohortId")).map(after))
            .compose(after -> addMentorsOf(conn, studentId, concerned).map(after))
            .compose(after -> AuditTrail.record(conn, actor, "user", studentId, action, before, after).map(after))
            .compose(after -> relationshipsChanged(conn, actor, "user", studentId, concerned,
              new JsonObject().put("studentId", studentId)).map(after));
        }));
  }

  private static Future<Void> addMentorsOf(SqlClient conn, long studentId, Set<Long> into) {
    return SqlTemplate.forQuery(conn, AccountSql.MENTORS_OF_STUDENT).execute(Map.of("studentId", studentId))
      .map(rows -> {
        rows.forEach(r -> into.add(r.getLong("mentor_id")));
        return null;
      });
  }

  /**
   * {@code relationships:changed}, in the change's own transaction, on each concerned user's own room and to the
   * admins: their rooms and lists (students, cohorts, sessions) may have changed, and a browser cannot know which
   * rooms it gained otherwise. Numbered with every other event, so each node re-checks the sockets the change
   * concerns (those of {@code data.studentId}; a deactivated {@code data.userId}'s are closed) before it delivers
   * any event numbered after it: an event committed after the change never reaches a room the change took away
   * (RoomBridge). Not in the activity feed.
   */
  static Future<Void> relationshipsChanged(SqlConnection conn, Actor actor, String targetType, long targetId,
                                           Set<Long> userIds, JsonObject data) {
    List<String> rooms = new ArrayList<>(userIds.size() + 1);
    rooms.add(Rooms.role(Role.ADMIN.wire())); // another admin's People panel follows
    userIds.forEach(id -> rooms.add(Rooms.user(id)));
    return Outbox.append(conn, new DomainEvent(EventTypes.RELATIONSHIPS_CHANGED, actor, targetType, targetId, data,
      rooms, null));
  }

  private Future<Void> requireRole(SqlClient conn, long userId, Role role, String field, String problem) {
    return SqlTemplate.forQuery(conn, AccountSql.USER_BY_ID).mapTo(AccountSql.USER).execute(Map.of("id", userId))
      .compose(rows -> rows.size() == 1 && role.wire().equals(rows.iterator().next().getString("role"))
        ? Future.succeededFuture() : Future.failedFuture(PortalException.invalid(field, problem)));
  }

  private Future<JsonObject> createCohort(BusRequest req) {
    Input in = req.input();
    String name = in.text("name", 1, 200);
    JsonArray mentorIds = in.idList("mentorIds", true);
    in.check(!mentorIds.isEmpty() || !req.body().containsKey("mentorIds"), "mentorIds", "must name at least one mentor");
    in.validate();
    Long[] ids = mentorIds.stream().map(o -> ((Number) o).longValue()).toArray(Long[]::new);
    return IdempotentCommand.transaction(pool, req, conn -> SqlTemplate.forQuery(conn, AccountSql.COUNT_MENTORS_IN)
        .execute(Map.of("ids", ids))
        .compose(rows -> rows.iterator().next().getLong("n") == ids.length ? Future.succeededFuture()
          : Future.failedFuture(PortalException.invalid("mentorIds", "must all be mentors")))
        .compose(v -> SqlTemplate.forQuery(conn, AccountSql.INSERT_COHORT).execute(Map.of("name", name.trim())))
        .compose(rows -> {
          long cohortId = rows.iterator().next().getLong("id");
          List<Map<String, Object>> batch = new ArrayList<>();
          for (Long m : ids) batch.add(Map.of("cohortId", cohortId, "mentorId", m));
          return SqlTemplate.forUpdate(conn, AccountSql.INSERT_COHORT_MENTOR).executeBatch(batch)
            .compose(v -> cohortById(conn, cohortId));
        })
        .compose(cohort -> AuditTrail.record(conn, req.actor(), "cohort", cohort.getLong("id"), "create", null, cohort)
          .map(cohort))
        .compose(cohort -> relationshipsChanged(conn, req.actor(), "cohort", cohort.getLong("id"),
          new LinkedHashSet<>(List.of(ids)), new JsonObject().put("cohortId", cohort.getLong("id"))).map(cohort)));
  }

  private Future<JsonObject> cohortById(SqlClient client, long id) {
    return SqlTemplate.forQuery(client, AccountSql.COHORT_BY_ID).mapTo(AccountSql.COHORT).execute(Map.of("id", id))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(PortalException.notFound("cohort"))
        : Future.succeededFuture(rows.iterator().next()));
  }

  private Future<JsonObject> listCohorts(BusRequest req) {
    Actor actor = req.actor();
    String sql = switch (actor.role()) {
      case ADMIN -> AccountSql.ALL_COHORTS;
      case MENTOR -> AccountSql.COHORTS_OF_MENTOR;
      case STUDENT -> AccountSql.COHORTS_OF_STUDENT;
    };
    return SqlTemplate.forQuery(pool, sql).mapTo(AccountSql.COHORT).execute(Map.of("userId", actor.id()))
      .map(Pages::items);
  }

  // ------------------------------------------------------------------ rooms (for the RoomBridge)

  /**
   * The rooms a user may join now: {@code {userId, role, all: bool, rooms: [...]}}; the same statement as
   * {@link #roomGrantsMany}, so the contract's room rules are written once ({@link AccountSql#GRANTS}).
   */
  private Future<JsonObject> roomGrants(BusRequest req) {
    long userId = req.input().id("userId") == null ? -1 : req.body().getLong("userId");
    return SqlTemplate.forQuery(pool, AccountSql.ROOM_GRANTS_MANY).mapTo(AccountSql.GRANTS)
      .execute(Map.of("ids", new Long[] {userId}))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(PortalException.notFound("user"))
        : Future.succeededFuture(rows.iterator().next()));
  }

  /** {@link #roomGrants} for many users in one statement: a burst of sockets costs one query per batch. */
  private Future<JsonObject> roomGrantsMany(BusRequest req) {
    JsonArray raw = req.body().getJsonArray("userIds", new JsonArray());
    if (raw.size() > AccountAddresses.MAX_GRANTS_BATCH) {
      return Future.failedFuture(PortalException.invalid("userIds", "at most " + AccountAddresses.MAX_GRANTS_BATCH));
    }
    Long[] ids = new Long[raw.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = ((Number) raw.getValue(i)).longValue();
    return SqlTemplate.forQuery(pool, AccountSql.ROOM_GRANTS_MANY).mapTo(AccountSql.GRANTS)
      .execute(Map.of("ids", ids)).map(rows -> new JsonObject().put("grants", Pages.items(rows).getJsonArray("items")));
  }
}
