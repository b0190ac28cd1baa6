package edu.mentoring.portal.schedules;

import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.events.DomainEvent;
import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.events.Outbox;
import edu.mentoring.portal.realtime.Rooms;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Owns mentoring sessions and their attendees; double-booking is refused by exclusion constraints. */
public class ScheduleStore extends VerticleBase {
  static final Duration MAX_LENGTH = Duration.ofHours(8);
  static final List<String> STATUSES = List.of("scheduled", "completed", "cancelled", "missed");

  private static final PortalException OVERLAP =
    new PortalException(ErrorCode.SCHEDULE_CONFLICT, "overlaps another session of the mentor or of a student");
  private static final Map<String, PortalException> CONSTRAINTS = Map.of(
    "schedules_mentor_no_overlap", OVERLAP,
    "schedule_attendees_student_no_overlap", OVERLAP,
    "schedules_time_order", PortalException.invalid("endTime", "must be after startTime"),
    "schedules_max_length", PortalException.invalid("endTime", "must be at most 8 hours after startTime"));

  private Pool pool;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return Future.all(
      Bus.serve(vertx, ScheduleAddresses.CREATE, CONSTRAINTS, this::create).completion(),
      Bus.serve(vertx, ScheduleAddresses.LIST, CONSTRAINTS, this::list).completion(),
      Bus.serve(vertx, ScheduleAddresses.GET, CONSTRAINTS, this::get).completion());
  }

  private Future<JsonObject> create(BusRequest req) {
    Actor actor = req.actor();
    Input in = req.input();
    String title = in.text("title", 1, 200);
    String description = in.optionalText("description", 5000);
    String focusStack = in.optionalText("focusStack", 100);
    OffsetDateTime start = in.time("startTime", true);
    OffsetDateTime end = in.time("endTime", true);
    Boolean groupFlag = in.optionalBool("isGroupSession");
    boolean group = Boolean.TRUE.equals(groupFlag);
    Long studentId = in.optionalId("studentId");
    Long cohortId = in.optionalId("cohortId");
    Long mentorId = actor.isAdmin() ? in.id("mentorId") : Long.valueOf(actor.id());
    if (!actor.isAdmin() && in.has("mentorId") && !Long.valueOf(actor.id()).equals(in.optionalId("mentorId"))) {
      in.problem("mentorId", "may only be set by an admin");
    }
    if (group) {
      in.check(cohortId != null || in.has("cohortId"), "cohortId", "is required for a group session");
      in.check(!in.has("studentId"), "studentId", "must be absent for a group session");
    } else {
      in.check(studentId != null || in.has("studentId"), "studentId", "is required (or set isGroupSession)");
      in.check(!in.has("cohortId"), "cohortId", "is only for group sessions");
    }
    if (start != null && end != null) {
      in.check(end.isAfter(start), "endTime", "must be after startTime");
      in.check(Duration.between(start, end).compareTo(MAX_LENGTH) <= 0, "endTime",
        "must be at most 8 hours after startTime");
    }
    in.validate();

    return pool.withTransaction(conn -> checkAudience(conn, mentorId, group ? null : studentId, group ? cohortId : null)
      .compose(v -> {
        Map<String, Object> p = new HashMap<>();
        p.put("mentorId", mentorId);
        p.put("studentId", group ? null : studentId);
        p.put("cohortId", group ? cohortId : null);
        p.put("title", title);
        p.put("description", description);
        p.put("startTime", start);
        p.put("endTime", end);
        p.put("focusStack", focusStack);
        p.put("isGroupSession", group);
        return SqlTemplate.forQuery(conn, ScheduleSql.INSERT).mapTo(ScheduleSql.SCHEDULE).execute(p);
      })
      .map(rows -> rows.iterator().next())
      .compose(schedule -> {
        Map<String, Object> p = new HashMap<>();
        p.put("scheduleId", schedule.getLong("id"));
        p.put("studentId", schedule.getLong("studentId"));
        p.put("cohortId", schedule.getLong("cohortId"));
        p.put("startTime", start);
        p.put("endTime", end);
        return SqlTemplate.forUpdate(conn, ScheduleSql.INSERT_ATTENDEES).execute(p)
          .compose(v -> studentsOf(conn, schedule.getLong("id")))
          .compose(students -> Future.all(
              AuditTrail.record(conn, actor, "schedule", schedule.getLong("id"), "create", null, schedule),
              Outbox.append(conn, event(EventTypes.SCHEDULE_CREATED, actor, schedule, students,
                "New session: " + schedule.getString("title"))))
            .map(schedule));
      }))
      .onSuccess(schedule -> Outbox.committed(vertx));
  }

  /** A mentor schedules only their own students and cohorts; an admin names a mentor who does. */
  private Future<Void> checkAudience(SqlClient conn, long mentorId, Long studentId, Long cohortId) {
    return SqlTemplate.forQuery(conn, ScheduleSql.IS_MENTOR).execute(Map.of("id", mentorId))
      .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
        : Future.failedFuture(PortalException.invalid("mentorId", "is not a mentor")))
      .compose(v -> studentId != null
        ? SqlTemplate.forQuery(conn, ScheduleSql.MENTORS_STUDENT).execute(Map.of("studentId", studentId, "mentorId", mentorId))
          .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
            : Future.failedFuture(PortalException.invalid("studentId", "is not one of the mentor's students")))
        : SqlTemplate.forQuery(conn, ScheduleSql.MENTORS_COHORT).execute(Map.of("cohortId", cohortId, "mentorId", mentorId))
          .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
            : Future.failedFuture(PortalException.invalid("cohortId", "is not a cohort the mentor mentors"))))
      .mapEmpty();
  }

  private Future<List<Long>> studentsOf(SqlClient conn, long scheduleId) {
    return SqlTemplate.forQuery(conn, ScheduleSql.STUDENTS_OF_SCHEDULE).execute(Map.of("id", scheduleId))
      .map(rows -> {
        List<Long> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getLong("student_id")));
        return ids;
      });
  }

  /** {@code schedule:*} → the student's room (or the cohort's), the mentor's; notifies the students. */
  static DomainEvent event(String type, Actor actor, JsonObject schedule, List<Long> students, String title) {
    List<String> rooms = new ArrayList<>();
    Long cohortId = schedule.getLong("cohortId");
    rooms.add(cohortId != null ? Rooms.cohort(cohortId) : Rooms.student(schedule.getLong("studentId")));
    rooms.add(Rooms.mentor(schedule.getLong("mentorId")));
    JsonArray notify = new JsonArray();
    for (Long s : students) {
      notify.add(new JsonObject().put("userId", s).put("title", title)
        .put("body", schedule.getString("startTime") + " – " + schedule.getString("endTime")));
    }
    return new DomainEvent(type, actor, "schedule", schedule.getLong("id"),
      new JsonObject().put("schedule", schedule.copy()), rooms, notify);
  }

  private Future<JsonObject> get(BusRequest req) {
    long id = req.pathId("id", "schedule");
    Map<String, Object> p = visibility(req.actor());
    p.put("id", id);
    return SqlTemplate.forQuery(pool, ScheduleSql.BY_ID).mapTo(ScheduleSql.SCHEDULE).execute(p)
      .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next())
        : Future.failedFuture(PortalException.notFound("schedule")));
  }

  private Future<JsonObject> list(BusRequest req) {
    Input q = req.query();
    OffsetDateTime from = q.time("from", false);
    OffsetDateTime to = q.time("to", false);
    String status = q.oneOf("status", STATUSES, false);
    Long mentorId = q.optionalId("mentorId");
    Long studentId = q.optionalId("studentId");
    int limit = q.limit("limit", 200, 1000);
    q.validate();
    Map<String, Object> p = visibility(req.actor());
    p.put("from", from);
    p.put("to", to);
    p.put("status", status);
    p.put("mentorId", mentorId);
    p.put("studentId", studentId);
    p.put("limit", limit);
    return SqlTemplate.forQuery(pool, ScheduleSql.LIST).mapTo(ScheduleSql.SCHEDULE).execute(p).map(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(items::add);
      return new JsonObject().put("items", items);
    });
  }

  private static Map<String, Object> visibility(Actor actor) {
    Map<String, Object> p = new HashMap<>();
    p.put("role", actor.role().wire());
    p.put("userId", actor.id());
    return p;
  }
}
