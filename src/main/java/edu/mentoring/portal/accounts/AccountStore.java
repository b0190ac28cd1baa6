package edu.mentoring.portal.accounts;

import edu.mentoring.portal.audit.AuditAddresses;
import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.events.DomainEvent;
import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.events.Outbox;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.schedules.CohortSessions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.time.Instant;
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

  private Pool pool;
  private Passwords passwords;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    passwords = Passwords.fromConfig(vertx, config());
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

  private Future<Void> serve(String address, java.util.function.Function<BusRequest, Future<JsonObject>> handler) {
    return Bus.serve(vertx, address, CONSTRAINTS, handler).completion();
  }

  // ------------------------------------------------------------------ sign-up and sign-in

  private Future<JsonObject> register(BusRequest req) {
    Input in = req.input();
    String email = in.email("email");
    String password = password(in);
    String name = in.text("name", 1, 200);
    Long cohortId = in.optionalId("cohortId");
    in.validate();
    return createAccount(Actor.SYSTEM, email, password, name, Role.STUDENT, cohortId, "register")
      .map(user -> new JsonObject().put("user", user));
  }

  private static String password(Input in) {
    String password = in.text("password", 1, 200);
    if (password != null && !Passwords.acceptable(password)) {
      in.problem("password", "must be " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_BYTES + " bytes");
    }
    return password;
  }

  /** One path for every new account (self-registration, admin, seed, start-up admin). */
  private Future<JsonObject> createAccount(Actor actor, String email, String password, String name, Role role,
                                           Long cohortId, String action) {
    return passwords.hash(password).compose(hash -> pool.withTransaction(conn -> {
      Map<String, Object> p = new HashMap<>();
      p.put("email", email);
      p.put("passwordHash", hash);
      p.put("name", name);
      p.put("role", role.wire());
      p.put("cohortId", cohortId);
      return CohortRoll.lockForMove(conn, null, cohortId)
        .compose(v -> SqlTemplate.forQuery(conn, AccountSql.INSERT_USER).mapTo(AccountSql.USER).execute(p))
        .map(rows -> rows.iterator().next())
        .compose(user -> CohortSessions.moveMember(conn, user.getLong("id"), null, user.getLong("cohortId")).map(user))
        .compose(user -> {
          Actor who = action.equals("register") ? new Actor(user.getLong("id"), role) : actor;
          Future<Void> audit = AuditTrail.record(conn, who, "user", user.getLong("id"), action, null, user);
          Future<Void> event = role == Role.STUDENT ? announceStudent(conn, who, user) : Future.succeededFuture();
          return Future.all(audit, event).map(user);
        });
    }));
  }

  /** {@code student:registered} → the student's mentors (all mentors if none yet) and the admins. */
  private Future<Void> announceStudent(SqlConnection conn, Actor actor, JsonObject student) {
    long studentId = student.getLong("id");
    return SqlTemplate.forQuery(conn, AccountSql.MENTORS_OF_STUDENT).execute(Map.of("studentId", studentId))
      .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows)
        : SqlTemplate.forQuery(conn, AccountSql.ALL_MENTOR_IDS).execute(Map.of()))
      .compose(rows -> {
        List<String> rooms = new ArrayList<>();
        JsonArray notify = new JsonArray();
        for (Row r : rows) {
          long mentorId = r.getLong("mentor_id");
          rooms.add(Rooms.mentor(mentorId));
          notify.add(new JsonObject().put("userId", mentorId)
            .put("title", "New student: " + student.getString("name"))
            .put("body", student.getString("name") + " joined the portal."));
        }
        rooms.add(Rooms.role(Role.ADMIN.wire()));
        JsonObject data = new JsonObject().put("student", student.copy());
        return Outbox.append(conn, new DomainEvent(EventTypes.STUDENT_REGISTERED, actor, "user", studentId, data,
          rooms, notify));
      });
  }

  private Future<JsonObject> login(BusRequest req) {
    Input in = req.input();
    String email = in.text("email", 1, 254);
    String password = in.text("password", 1, 200);
    if (email == null || password == null) {
      return Future.failedFuture(new PortalException(ErrorCode.UNAUTHORIZED, "wrong email or password"));
    }
    return SqlTemplate.forQuery(pool, AccountSql.LOGIN_BY_EMAIL).execute(Map.of("email", email.trim()))
      .compose(rows -> {
        Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
        String hash = row == null ? null : row.getString("password_hash");
        return passwords.matches(password, hash).compose(ok -> {
          if (!ok) {
            audit(null, "user", row == null ? null : row.getLong("id"), "login_failed",
              new JsonObject().put("email", email));
            return Future.failedFuture(new PortalException(ErrorCode.UNAUTHORIZED, "wrong email or password"));
          }
          JsonObject user = AccountSql.USER.map(row);
          audit(new Actor(user.getLong("id"), Role.parse(user.getString("role")).orElseThrow()), "user",
            user.getLong("id"), "login", null);
          return Future.succeededFuture(new JsonObject().put("user", user));
        });
      });
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
    return createAccount(req.actor(), email, password, name, Role.parse(role).orElseThrow(), null, "create");
  }

  private Future<JsonObject> ensureAdmin(BusRequest req) {
    Input in = req.input();
    String email = in.email("email");
    String password = password(in);
    String name = in.text("name", 1, 200);
    in.validate();
    return SqlTemplate.forQuery(pool, AccountSql.ANY_ADMIN).execute(Map.of()).compose(rows -> {
      if (rows.size() > 0) return Future.succeededFuture(new JsonObject().put("created", false));
      return createAccount(Actor.SYSTEM, email, password, name, Role.ADMIN, null, "create")
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
   * and audits it; after the commit, tells the bridges to re-check rooms and tells everyone concerned (the student,
   * their mentors before and after) to re-read theirs.
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
            .compose(after -> AuditTrail.record(conn, actor, "user", studentId, action, before, after).map(after));
        }))
      .onSuccess(user -> {
        vertx.eventBus().publish(AccountAddresses.RELATIONS_CHANGED,
          new JsonObject().put("userIds", new JsonArray().add(studentId)));
        pushRelationshipsChanged(concerned, new JsonObject().put("studentId", studentId));
      });
  }

  private static Future<Void> addMentorsOf(SqlClient conn, long studentId, Set<Long> into) {
    return SqlTemplate.forQuery(conn, AccountSql.MENTORS_OF_STUDENT).execute(Map.of("studentId", studentId))
      .map(rows -> {
        rows.forEach(r -> into.add(r.getLong("mentor_id")));
        return null;
      });
  }

  /**
   * {@code relationships:changed} on each user's own room and to the admins: their rooms and lists (students, cohorts, sessions) may
   * have changed, and a browser cannot know which rooms it gained otherwise. Not a domain event: a hint to re-read,
   * so losing one costs freshness, never access (the bridge re-checks rooms by itself).
   */
  private void pushRelationshipsChanged(Set<Long> userIds, JsonObject data) {
    JsonArray rooms = new JsonArray().add(Rooms.role(Role.ADMIN.wire())); // another admin's People panel follows
    userIds.forEach(id -> rooms.add(Rooms.user(id)));
    vertx.eventBus().publish(RealtimeAddresses.DELIVER, new JsonObject().put("rooms", rooms)
      .put("message", new JsonObject().put("type", EventTypes.RELATIONSHIPS_CHANGED)
        .put("occurredAt", Instant.now().toString()).put("data", data)));
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
    return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, AccountSql.COUNT_MENTORS_IN)
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
          .map(cohort)))
      .onSuccess(cohort -> {
        vertx.eventBus().publish(AccountAddresses.RELATIONS_CHANGED,
          new JsonObject().put("userIds", new JsonArray(List.of(ids))));
        pushRelationshipsChanged(new LinkedHashSet<>(List.of(ids)), new JsonObject().put("cohortId", cohort.getLong("id")));
      });
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

  /** The rooms a user may join now: {@code {userId, role, all: bool, rooms: [...]}}. */
  private Future<JsonObject> roomGrants(BusRequest req) {
    long userId = req.input().id("userId") == null ? -1 : req.body().getLong("userId");
    return userById(pool, userId).compose(user -> {
      Role role = Role.parse(user.getString("role")).orElseThrow();
      JsonArray rooms = new JsonArray().add(Rooms.user(userId)).add(Rooms.role(role.wire()));
      JsonObject grants = new JsonObject().put("userId", userId).put("role", role.wire()).put("all", role == Role.ADMIN)
        .put("rooms", rooms);
      return switch (role) {
        case ADMIN -> Future.succeededFuture(grants);
        case STUDENT -> {
          rooms.add(Rooms.student(userId));
          if (user.getLong("cohortId") != null) rooms.add(Rooms.cohort(user.getLong("cohortId")));
          yield Future.succeededFuture(grants);
        }
        case MENTOR -> {
          rooms.add(Rooms.mentor(userId));
          yield SqlTemplate.forQuery(pool, AccountSql.STUDENTS_OF_MENTOR).execute(Map.of("mentorId", userId))
            .compose(students -> {
              students.forEach(r -> rooms.add(Rooms.student(r.getLong("id"))));
              return SqlTemplate.forQuery(pool, AccountSql.COHORTS_MENTORED).execute(Map.of("userId", userId));
            })
            .map(cohorts -> {
              cohorts.forEach(r -> rooms.add(Rooms.cohort(r.getLong("cohort_id"))));
              return grants;
            });
        }
      };
    });
  }

  /** {@link #roomGrants} for many users in one statement: a burst of sockets costs one query per batch. */
  private Future<JsonObject> roomGrantsMany(BusRequest req) {
    JsonArray raw = req.body().getJsonArray("userIds", new JsonArray());
    if (raw.size() > AccountAddresses.MAX_GRANTS_BATCH) {
      return Future.failedFuture(PortalException.invalid("userIds", "at most " + AccountAddresses.MAX_GRANTS_BATCH));
    }
    Long[] ids = new Long[raw.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = ((Number) raw.getValue(i)).longValue();
    return SqlTemplate.forQuery(pool, AccountSql.ROOM_GRANTS_MANY).execute(Map.of("ids", ids)).map(rows -> {
      JsonArray all = new JsonArray();
      for (Row row : rows) {
        long userId = row.getLong("id");
        Role role = Role.parse(row.getString("role")).orElseThrow();
        JsonArray rooms = new JsonArray().add(Rooms.user(userId)).add(Rooms.role(role.wire()));
        if (role == Role.STUDENT) {
          rooms.add(Rooms.student(userId));
          if (row.getLong("cohort_id") != null) rooms.add(Rooms.cohort(row.getLong("cohort_id")));
        } else if (role == Role.MENTOR) {
          rooms.add(Rooms.mentor(userId));
          for (Long student : row.getArrayOfLongs("students")) rooms.add(Rooms.student(student));
          for (Long cohort : row.getArrayOfLongs("cohorts")) rooms.add(Rooms.cohort(cohort));
        }
        all.add(new JsonObject().put("userId", userId).put("role", role.wire()).put("all", role == Role.ADMIN)
          .put("rooms", rooms));
      }
      return new JsonObject().put("grants", all);
    });
  }
}
