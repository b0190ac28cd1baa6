package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.entries.EntryAddresses;
import edu.mentoring.portal.schedules.ScheduleAddresses;
import edu.mentoring.portal.tasks.TaskAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * What a node does once it is up: create the configured admin if none exists, and seed the demo school into an
 * empty database. Everything goes through the same bus commands as real requests, so the demo data is real data.
 */
final class StartupTasks {
  private static final Logger LOG = LoggerFactory.getLogger(StartupTasks.class);
  static final String DEMO_PASSWORD_ADMIN = "admin-demo-2026";
  static final String DEMO_PASSWORD_MENTOR = "mentor-demo-2026";
  static final String DEMO_PASSWORD_STUDENT = "student-demo-2026";

  private StartupTasks() {
  }

  static void run(Vertx vertx, PortalConfig config) {
    // judged before the configured admin is created: that admin alone does not make a school
    boolean empty = config.demoData()
      && call(vertx, AccountAddresses.COUNT, Actor.SYSTEM, new JsonObject()).getLong("users") == 0;
    if (config.adminEmail() != null) {
      JsonObject r = call(vertx, AccountAddresses.ENSURE_ADMIN, Actor.SYSTEM, new JsonObject()
        .put("email", config.adminEmail()).put("password", config.adminPassword()).put("name", "Administrator"));
      // the address is personal data: it stays out of the log (the setting names it)
      if (r.getBoolean("created", false)) LOG.info("created the admin of {}", PortalConfig.ADMIN_EMAIL);
    }
    if (empty) {
      try {
        seed(vertx);
      } catch (CompletionException e) {
        if (e.getCause() instanceof PortalException pe && pe.code() == ErrorCode.CONFLICT) {
          LOG.info("another node is seeding the demo data");
        } else {
          throw e;
        }
      }
    }
  }

  /** An admin, two mentors, a cohort, six students; then sessions (and, as they land, entries and tasks). */
  static void seed(Vertx vertx) {
    long adminId = user(vertx, "admin@school.test", DEMO_PASSWORD_ADMIN, "Ada Admin", "admin");
    Actor admin = new Actor(adminId, Role.ADMIN);
    long grace = user(vertx, "grace@school.test", DEMO_PASSWORD_MENTOR, "Grace Hopper", "mentor");
    long alan = user(vertx, "alan@school.test", DEMO_PASSWORD_MENTOR, "Alan Turing", "mentor");
    long cohort = call(vertx, AccountAddresses.CREATE_COHORT, admin, new JsonObject()
      .put("name", "Cohort 2026 Backend").put("mentorIds", new JsonArray().add(grace))).getLong("id");
    String[][] students = {
      {"lin@school.test", "Lin Chen"}, {"sam@school.test", "Sam Okafor"}, {"maya@school.test", "Maya Patel"},
      {"noah@school.test", "Noah Schmidt"}, {"ines@school.test", "Inès Moreau"}, {"kofi@school.test", "Kofi Mensah"}};
    // the first three sign up with Grace's cohort invitation, as students do; the admin creates the other three
    String invitation = call(vertx, AccountAddresses.CREATE_INVITATION, new Actor(grace, Role.MENTOR),
      new JsonObject().put("maxUses", 3), new JsonObject().put("id", Long.toString(cohort))).getString("code");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < students.length; i++) {
      JsonObject body = new JsonObject().put("email", students[i][0]).put("password", DEMO_PASSWORD_STUDENT)
        .put("name", students[i][1]);
      ids.add(i < 3 ? enrol(vertx, admin, body, invitation, cohort)
        : user(vertx, students[i][0], DEMO_PASSWORD_STUDENT, students[i][1], "student"));
    }
    for (int i = 3; i < ids.size(); i++) {
      call(vertx, AccountAddresses.ASSIGN_MENTOR, admin, new JsonObject().put("mentorId", alan),
        new JsonObject().put("id", Long.toString(ids.get(i))));
    }
    OffsetDateTime tomorrow = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).truncatedTo(ChronoUnit.DAYS);
    Actor graceActor = new Actor(grace, Role.MENTOR);
    Actor alanActor = new Actor(alan, Role.MENTOR);
    call(vertx, ScheduleAddresses.CREATE, graceActor, new JsonObject().put("title", "Cohort kick-off")
      .put("isGroupSession", true).put("cohortId", cohort).put("focusStack", "Vert.x")
      .put("startTime", tomorrow.plusHours(9).toString()).put("endTime", tomorrow.plusHours(10).toString()));
    call(vertx, ScheduleAddresses.CREATE, alanActor, new JsonObject().put("title", "1:1 code review")
      .put("studentId", ids.get(3)).put("focusStack", "SQL")
      .put("startTime", tomorrow.plusHours(14).toString()).put("endTime", tomorrow.plusHours(15).toString()));
    call(vertx, TaskAddresses.CREATE, graceActor, new JsonObject().put("title", "Read the Vert.x 5 migration notes")
      .put("cohortId", cohort).put("dueAt", tomorrow.plusDays(3).plusHours(17).toString()));
    call(vertx, TaskAddresses.CREATE, alanActor, new JsonObject().put("title", "Write three SQL window-function exercises")
      .put("studentId", ids.get(3)).put("description", "Bring them to the code review.")
      .put("dueAt", tomorrow.plusHours(12).toString()));
    seedEntries(vertx, new Actor(ids.get(0), Role.STUDENT), graceActor, new Actor(ids.get(3), Role.STUDENT));

    System.out.println();
    System.out.println("Demo school seeded. Sign in with:");
    System.out.printf("  admin    admin@school.test / %s%n", DEMO_PASSWORD_ADMIN);
    System.out.printf("  mentors  grace@school.test, alan@school.test / %s%n", DEMO_PASSWORD_MENTOR);
    System.out.printf("  students lin, sam, maya (cohort, mentor Grace), noah, ines, kofi (mentor Alan)"
      + " @school.test / %s%n", DEMO_PASSWORD_STUDENT);
  }

  /** Lin submits an entry and Grace comments on it; Noah keeps a draft. */
  private static void seedEntries(Vertx vertx, Actor lin, Actor grace, Actor noah) {
    long linEntry = call(vertx, EntryAddresses.CREATE, lin, new JsonObject().put("title", "Futures and the event loop")
      .put("content", "Never block the event loop: compose futures and move blocking work to executeBlocking.")
      .put("focusStack", "Vert.x")).getLong("id");
    JsonObject linParams = new JsonObject().put("id", Long.toString(linEntry));
    call(vertx, EntryAddresses.CHANGE_STATUS, lin, new JsonObject().put("status", "submitted"), linParams);
    call(vertx, EntryAddresses.ADD_COMMENT, grace, new JsonObject()
      .put("body", "Clear write-up. Next, try a failing future and show how recover() handles it."), linParams);
    call(vertx, EntryAddresses.CREATE, noah, new JsonObject().put("title", "Window functions")
      .put("content", "row_number() and lag() for per-student streaks.").put("focusStack", "SQL"));
  }

  /** Registers with the invitation; where self-registration is off, the admin creates and places the student. */
  private static long enrol(Vertx vertx, Actor admin, JsonObject body, String invitation, long cohort) {
    try {
      return call(vertx, AccountAddresses.REGISTER, null, body.copy().put("invitation", invitation))
        .getJsonObject("user").getLong("id");
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof PortalException pe) || pe.code() != ErrorCode.FORBIDDEN) throw e;
      long id = user(vertx, body.getString("email"), body.getString("password"), body.getString("name"), "student");
      call(vertx, AccountAddresses.ASSIGN_COHORT, admin, new JsonObject().put("cohortId", cohort),
        new JsonObject().put("id", Long.toString(id)));
      return id;
    }
  }

  private static long user(Vertx vertx, String email, String password, String name, String role) {
    return call(vertx, AccountAddresses.CREATE_USER, Actor.SYSTEM, new JsonObject().put("email", email)
      .put("password", password).put("name", name).put("role", role)).getLong("id");
  }

  private static JsonObject call(Vertx vertx, String address, Actor actor, JsonObject body) {
    return call(vertx, address, actor, body, new JsonObject());
  }

  private static JsonObject call(Vertx vertx, String address, Actor actor, JsonObject body, JsonObject params) {
    JsonObject message = BusRequest.message(actor == null ? Actor.SYSTEM : actor, params, body);
    if (actor == null) message.remove(BusRequest.ACTOR);
    Future<JsonObject> reply = Bus.requestLocal(vertx, address, message, 30_000);
    return PortalNode.await(reply);
  }
}
