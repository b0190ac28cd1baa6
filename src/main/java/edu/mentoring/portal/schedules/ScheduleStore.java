package edu.mentoring.portal.schedules;

import edu.mentoring.portal.accounts.CohortRoll;
import edu.mentoring.portal.accounts.MentorAudience;
import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
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
import edu.mentoring.portal.realtime.Rooms;
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

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** Owns mentoring sessions and their attendees; double-booking is refused by exclusion constraints. */
public class ScheduleStore extends VerticleBase {
  static final Duration MAX_LENGTH = Duration.ofHours(8);
  /** The fields PUT may change; who, for whom and the kind of session are fixed at creation. */
  static final List<String> EDITABLE = List.of("title", "description", "focusStack", "startTime", "endTime");

  private static final PortalException OVERLAP = ScheduleConflicts.PLAIN;
  private static final Map<String, PortalException> CONSTRAINTS = Map.of(
    "schedules_mentor_no_overlap", OVERLAP,
    "session_claims_no_overlap", OVERLAP,
    "schedules_time_order", PortalException.invalid("endTime", "must be after startTime"),
    "schedules_max_length", PortalException.invalid("endTime", "must be at most 8 hours after startTime"));

  static final long ROLL_SWEEP_MS = 2_000;

  private Pool pool;
  private long sweeper = -1;

  @Override
  public Future<?> stop() {
    if (sweeper != -1) vertx.cancelTimer(sweeper);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    sweeper = vertx.setPeriodic(ROLL_SWEEP_MS, id -> sweepRolls());
    return Future.all(List.of(
      serve(ScheduleAddresses.CREATE, this::create),
      serve(ScheduleAddresses.LIST, this::list),
      serve(ScheduleAddresses.GET, this::get),
      serve(ScheduleAddresses.UPDATE, this::update),
      serve(ScheduleAddresses.CHANGE_STATUS, this::changeStatus),
      serve(ScheduleAddresses.MARK_ATTENDANCE, this::markAttendance),
      serve(ScheduleAddresses.DELETE, this::delete)));
  }

  private Future<Void> serve(String address, Function<BusRequest, Future<JsonObject>> handler) {
    return Bus.serve(vertx, address, CONSTRAINTS, handler).completion();
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
    if (start != null && end != null) checkTimes(in, start, end);
    in.validate();

    return IdempotentCommand.transaction(pool, req, conn -> MentorAudience.check(conn, mentorId, group ? null : studentId, group ? cohortId : null)
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
        // pipelined: a refused claim (a double booking) is the failure reported, not a statement behind it in the
        // aborted transaction. A group session claims its cohort in one row; its roll is taken after commit.
        if (group) {
          return SqlTemplate.forUpdate(conn, ScheduleSql.CLAIM_COHORT).execute(p)
            .map(v -> schedule.put("attendees", new JsonArray()));
        }
        Future<?> claimed = SqlTemplate.forUpdate(conn, ScheduleSql.CLAIM_STUDENT).execute(p);
        Future<?> attends = SqlTemplate.forUpdate(conn, ScheduleSql.INSERT_ATTENDEE).execute(p);
        Future<JsonObject> withAttendees = withAttendees(conn, schedule);
        return Future.all(claimed, attends).compose(v -> withAttendees);
      })
      .compose(created -> Future.all(
          AuditTrail.record(conn, actor, "schedule", created.getLong("id"), "create", null, audited(created)),
          Outbox.append(conn, new DomainEvent(EventTypes.SCHEDULE_CREATED, actor, "schedule",
            created.getLong("id"), new JsonObject().put("schedule", forRooms(created)), rooms(created),
            group ? notifyCohort(created, "New session: " + created.getString("title"))
              : notifyStudents(created, "New session: " + created.getString("title")))))
        .map(created)))
      .recover(t -> !ScheduleConflicts.isClash(t) ? Future.failedFuture(t)
        : ScheduleConflicts.explain(pool, actor, mentorId, group ? null : studentId, group ? cohortId : null, start, end, 0L)
          .compose(e -> Future.<JsonObject>failedFuture(e)))
      // the event is on its way already; the mentor's answer lists the roll
      .compose(created -> group
        ? CohortRoll.takeAfterCommit(vertx, pool, ScheduleSql.ADD_ROLL, created.getLong("id"),
            created.getLong("cohortId"), config().getLong(CohortRoll.CONFIG_LINGER_MS, CohortRoll.LINGER_MS))
          .compose(v -> withAttendees(pool, created))
        : Future.succeededFuture(created));
  }

  // ------------------------------------------------------------------ a group session's roll

  /** Rolls committed but never taken (their node died right after the commit). */
  private void sweepRolls() {
    CohortRoll.sweep(pool, ScheduleSql.ROLLS_PENDING, ScheduleSql.ADD_ROLL);
  }

  /** A mentor schedules only their own students and cohorts; an admin names a mentor who does. */
  // ------------------------------------------------------------------ changes to a session

  /** PUT: the session's mentor (or an admin) edits its details and time while it is scheduled. */
  private Future<JsonObject> update(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "schedule");
    JsonObject body = req.body();
    Input in = req.input();
    for (String fixed : List.of("mentorId", "studentId", "cohortId", "isGroupSession")) {
      if (body.containsKey(fixed)) in.problem(fixed, "cannot be changed: cancel the session and create a new one");
    }
    if (body.containsKey("status")) in.problem("status", "is changed with PATCH /api/schedules/{id}/status");
    String title = body.containsKey("title") ? in.text("title", 1, 200) : null;
    String description = in.optionalText("description", 5000);
    String focusStack = in.optionalText("focusStack", 100);
    OffsetDateTime start = body.containsKey("startTime") ? in.time("startTime", true) : null;
    OffsetDateTime end = body.containsKey("endTime") ? in.time("endTime", true) : null;
    in.check(EDITABLE.stream().anyMatch(body::containsKey), "body",
      "must name a field to change: " + String.join(", ", EDITABLE));
    if (start != null && end != null) checkTimes(in, start, end);
    in.validate();

    return pool.withTransaction(conn -> lock(conn, req.actor(), id).compose(before -> {
        JsonObject old = before.schedule();
        ScheduleWorkflow.checkEditable(old.getString("status"));
        // absent fields keep their value; description and focusStack are cleared by an explicit null
        OffsetDateTime newStart = start != null ? start : OffsetDateTime.parse(old.getString("startTime"));
        OffsetDateTime newEnd = end != null ? end : OffsetDateTime.parse(old.getString("endTime"));
        Input merged = new Input(body);
        checkTimes(merged, newStart, newEnd);
        merged.validate();
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("title", title != null ? title : old.getString("title"));
        p.put("description", body.containsKey("description") ? description : old.getString("description"));
        p.put("focusStack", body.containsKey("focusStack") ? focusStack : old.getString("focusStack"));
        p.put("startTime", newStart);
        p.put("endTime", newEnd);
        return SqlTemplate.forQuery(conn, ScheduleSql.UPDATE_DETAILS).mapTo(ScheduleSql.SCHEDULE).execute(p)
          .compose(rows -> SqlTemplate.forUpdate(conn, ScheduleSql.MOVE_CLAIM).execute(p)
            .map(rows.iterator().next()))
          .compose(updated -> withAttendees(conn, updated))
          .compose(after -> {
            JsonArray fields = new JsonArray();
            for (String f : EDITABLE) {
              if (!Objects.equals(old.getValue(f), after.getValue(f))) fields.add(f);
            }
            return commit(conn, actor, "update", old, after,
              new JsonObject().put("change", "updated").put("fields", fields),
              notifyStudents(after, "Session changed: " + after.getString("title")));
          });
      }))
      .recover(t -> !ScheduleConflicts.isClash(t) ? Future.failedFuture(t)
        : ScheduleConflicts.explainMove(pool, actor, id, start, end).compose(e -> Future.<JsonObject>failedFuture(e)))
      .map(s -> viewFor(actor, s));
  }

  private static void checkTimes(Input in, OffsetDateTime start, OffsetDateTime end) {
    in.check(end.isAfter(start), "endTime", "must be after startTime");
    in.check(Duration.between(start, end).compareTo(MAX_LENGTH) <= 0, "endTime",
      "must be at most 8 hours after startTime");
  }

  /** PATCH status: the workflow of {@link ScheduleWorkflow}; cancelling frees the students' time. */
  private Future<JsonObject> changeStatus(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "schedule");
    Input in = req.input();
    String target = in.oneOf("status", ScheduleWorkflow.STATUSES, true);
    in.validate();

    return pool.withTransaction(conn -> lock(conn, actor, id).compose(before -> {
        JsonObject old = before.schedule();
        ScheduleWorkflow.checkStatusChange(actor, old.getString("status"), target, before.started());
        Map<String, Object> p = Map.of("id", id, "status", target);
        return SqlTemplate.forQuery(conn, ScheduleSql.SET_STATUS).mapTo(ScheduleSql.SCHEDULE).execute(p)
          .compose(rows -> (ScheduleWorkflow.CANCELLED.equals(target)
            ? SqlTemplate.forUpdate(conn, ScheduleSql.RELEASE_CLAIM).execute(p).<Void>mapEmpty()
            : Future.<Void>succeededFuture()).map(rows.iterator().next()))
          .compose(updated -> withAttendees(conn, updated))
          .compose(after -> commit(conn, actor, "status", old, after,
            new JsonObject().put("change", "status").put("previousStatus", old.getString("status")),
            notifyStudents(after, "Session " + target + ": " + after.getString("title"))));
      }))
      .map(s -> viewFor(actor, s));
  }

  /**
   * PUT attendance: a student of the session marks their own ({@code {attendance}}); the mentor or an admin marks
   * any attendee's ({@code {studentId, attendance}}).
   */
  private Future<JsonObject> markAttendance(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "schedule");
    Input in = req.input();
    String attendance = in.oneOf("attendance", ScheduleWorkflow.ATTENDANCE, true);
    Long named = in.optionalId("studentId");
    boolean self = actor.is(Role.STUDENT);
    if (!self) in.check(named != null || in.has("studentId"), "studentId", "is required");
    in.validate();
    long studentId = self ? actor.id() : named;

    return pool.withTransaction(conn -> lock(conn, actor, id).compose(before -> {
        // checked once the session is known to be visible: a stranger gets 404 like everywhere else
        if (self && named != null && named != actor.id()) {
          throw PortalException.forbidden("students mark only their own attendance");
        }
        JsonObject old = before.schedule();
        String status = old.getString("status");
        ScheduleWorkflow.checkAttendance(status, before.started());
        boolean completes = ScheduleWorkflow.completesByAttendance(old.getBoolean("isGroupSession"), status,
          attendance, before.ended());
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("studentId", studentId);
        p.put("attendance", attendance);
        p.put("status", completes ? ScheduleWorkflow.COMPLETED : status);
        return SqlTemplate.forUpdate(conn, ScheduleSql.MARK_ATTENDANCE).execute(p)
          .compose(marked -> marked.rowCount() == 1 ? Future.succeededFuture()
            : Future.failedFuture(PortalException.invalid("studentId", "is not an attendee of this session")))
          // also bumps updatedAt: the attendees are part of the session's JSON
          .compose(v -> SqlTemplate.forQuery(conn, ScheduleSql.SET_STATUS).mapTo(ScheduleSql.SCHEDULE).execute(p))
          .compose(rows -> withAttendees(conn, rows.iterator().next()))
          .compose(after -> attendanceNotice(conn, actor, after, studentId, attendance).compose(notify -> {
            JsonObject data = new JsonObject().put("change", "attendance").put("completed", completes);
            // a cohort room reaches every member; each student sees only their own attendance
            if (!after.getBoolean("isGroupSession")) data.put("attendee", attendeeOf(after, studentId));
            JsonObject detail = new JsonObject().put("before", attendeeOf(old, studentId))
              .put("after", attendeeOf(after, studentId));
            return commit(conn, actor, "attendance", old, after, data, notify, detail);
          }));
      }))
      .map(s -> viewFor(actor, s));
  }

  /** A student's own mark tells the mentor; a mark by the mentor or an admin tells the student. */
  private Future<JsonArray> attendanceNotice(SqlClient conn, Actor actor, JsonObject schedule, long studentId,
                                             String attendance) {
    String title = "Attendance: " + schedule.getString("title");
    if (!actor.is(Role.STUDENT)) {
      return Future.succeededFuture(new JsonArray().add(new JsonObject().put("userId", studentId).put("title", title)
        .put("body", "You were marked " + attendance + " (" + schedule.getString("startTime") + ").")));
    }
    return SqlTemplate.forQuery(conn, ScheduleSql.USER_NAME).execute(Map.of("id", studentId))
      .map(rows -> new JsonArray().add(new JsonObject().put("userId", schedule.getLong("mentorId"))
        .put("title", title)
        .put("body", rows.iterator().next().getString("name") + " marked themselves " + attendance + ".")));
  }

  private static JsonObject attendeeOf(JsonObject schedule, long studentId) {
    for (Object o : schedule.getJsonArray("attendees")) {
      JsonObject a = (JsonObject) o;
      if (a.getLong("studentId") == studentId) return a.copy();
    }
    return null;
  }

  /** DELETE: removes a cancelled session; the audit row keeps its last state, the event tells the clients. */
  private Future<JsonObject> delete(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "schedule");
    return pool.withTransaction(conn -> lock(conn, actor, id).compose(before -> {
        JsonObject old = before.schedule();
        ScheduleWorkflow.checkDeletable(old.getString("status"));
        return SqlTemplate.forUpdate(conn, ScheduleSql.DELETE).execute(Map.of("id", id))
          .compose(v -> commit(conn, actor, "delete", old, null, new JsonObject().put("change", "deleted"),
            notifyStudents(old, "Session removed: " + old.getString("title"))));
      }))
      .map(s -> new JsonObject());
  }

  /** The session the caller may see, locked for this transaction, with every attendee (for the audit trail). */
  private Future<Locked> lock(SqlClient conn, Actor actor, long id) {
    Map<String, Object> p = visibility(actor);
    p.put("id", id);
    return SqlTemplate.forQuery(conn, ScheduleSql.LOCK_BY_ID).execute(p).compose(rows -> {
      if (rows.size() != 1) return Future.failedFuture(PortalException.notFound("schedule"));
      Row row = rows.iterator().next();
      JsonObject schedule = ScheduleSql.SCHEDULE.map(row);
      // a change right after a group session's commit takes its roll first, in this transaction
      Future<Void> roll = row.getBoolean("roll_pending")
        ? CohortRoll.take(conn, ScheduleSql.ADD_ROLL, schedule.getLong("id"), schedule.getLong("cohortId"))
        : Future.succeededFuture();
      return roll.compose(v -> withAttendees(conn, schedule))
        .map(s -> new Locked(s, row.getBoolean("started"), row.getBoolean("ended")));
    });
  }

  private record Locked(JsonObject schedule, boolean started, boolean ended) {
  }

  /** The audit row (old/new JSON) and the {@code schedule:updated} event of a change, in its transaction. */
  private static Future<JsonObject> commit(SqlConnection conn, Actor actor, String action, JsonObject before,
                                           JsonObject after, JsonObject data, JsonArray notify) {
    return commit(conn, actor, action, before, after, data, notify, null);
  }

  private static Future<JsonObject> commit(SqlConnection conn, Actor actor, String action, JsonObject before,
                                           JsonObject after, JsonObject data, JsonArray notify, JsonObject detail) {
    JsonObject shown = after != null ? after : before;
    long id = shown.getLong("id");
    data.put("schedule", forRooms(shown));
    return Future.all(
        AuditTrail.record(conn, actor, "schedule", id, action, audited(before), audited(after), detail),
        Outbox.append(conn, new DomainEvent(EventTypes.SCHEDULE_UPDATED, actor, "schedule", id, data, rooms(shown),
          notify)))
      .map(shown);
  }

  // ------------------------------------------------------------------ JSON of a session, events

  /** {@code schedule:*} go to the student's room (or the cohort's) and the mentor's (contract). */
  static List<String> rooms(JsonObject schedule) {
    Long cohortId = schedule.getLong("cohortId");
    return List.of(cohortId != null ? Rooms.cohort(cohortId) : Rooms.student(schedule.getLong("studentId")),
      Rooms.mentor(schedule.getLong("mentorId")));
  }

  /** A group session's notice goes to its cohort's students (its roll is taken after the event). */
  static JsonArray notifyCohort(JsonObject schedule, String title) {
    return new JsonArray().add(new JsonObject().put("cohortId", schedule.getLong("cohortId")).put("title", title)
      .put("body", schedule.getString("startTime") + " – " + schedule.getString("endTime")));
  }

  /**
   * The session as the audit trail keeps it: a group session without its roll (thousands of members, twice per
   * change); attendance marks are audited with the attendee they change.
   */
  static JsonObject audited(JsonObject schedule) {
    return schedule == null ? null : forRooms(schedule);
  }

  /** One notification per student of the session. */
  static JsonArray notifyStudents(JsonObject schedule, String title) {
    JsonArray notify = new JsonArray();
    for (Object o : schedule.getJsonArray("attendees", new JsonArray())) {
      notify.add(new JsonObject().put("userId", ((JsonObject) o).getLong("studentId")).put("title", title)
        .put("body", schedule.getString("startTime") + " – " + schedule.getString("endTime")));
    }
    return notify;
  }

  /** The session as broadcast: a cohort room reaches every member, so a group session carries no attendees. */
  static JsonObject forRooms(JsonObject schedule) {
    JsonObject copy = schedule.copy();
    if (Boolean.TRUE.equals(copy.getBoolean("isGroupSession"))) copy.remove("attendees");
    return copy;
  }

  /** The session as the caller may see it: a student sees only their own attendee entry. */
  static JsonObject viewFor(Actor actor, JsonObject schedule) {
    if (!actor.is(Role.STUDENT)) return schedule;
    JsonObject copy = schedule.copy();
    JsonArray own = new JsonArray();
    for (Object o : schedule.getJsonArray("attendees", new JsonArray())) {
      if (((JsonObject) o).getLong("studentId") == actor.id()) own.add(o);
    }
    return copy.put("attendees", own);
  }

  private Future<JsonObject> withAttendees(SqlClient conn, JsonObject schedule) {
    return attach(conn, List.of(schedule), Actor.SYSTEM).map(list -> list.get(0));
  }

  /** Adds {@code attendees: [{studentId, attendance, markedAt}]} to each session, as {@code viewer} may see them. */
  private static Future<List<JsonObject>> attach(SqlClient client, List<JsonObject> schedules, Actor viewer) {
    if (schedules.isEmpty()) return Future.succeededFuture(schedules);
    Map<Long, JsonArray> byId = new LinkedHashMap<>();
    for (JsonObject s : schedules) {
      JsonArray attendees = new JsonArray();
      s.put("attendees", attendees);
      byId.put(s.getLong("id"), attendees);
    }
    Map<String, Object> p = visibility(viewer);
    p.put("ids", byId.keySet().toArray(new Long[0]));
    return SqlTemplate.forQuery(client, ScheduleSql.ATTENDEES).execute(p).map(rows -> {
      for (Row row : rows) byId.get(row.getLong("schedule_id")).add(ScheduleSql.ATTENDEE.map(row));
      return schedules;
    });
  }

  // ------------------------------------------------------------------ queries

  private Future<JsonObject> get(BusRequest req) {
    long id = req.pathId("id", "schedule");
    Map<String, Object> p = visibility(req.actor());
    p.put("id", id);
    return SqlTemplate.forQuery(pool, ScheduleSql.BY_ID).mapTo(ScheduleSql.SCHEDULE).execute(p)
      .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next())
        : Future.failedFuture(PortalException.notFound("schedule")))
      .compose(s -> attach(pool, List.of(s), req.actor()))
      .map(list -> list.get(0));
  }

  private Future<JsonObject> list(BusRequest req) {
    Input q = req.query();
    OffsetDateTime from = q.time("from", false);
    OffsetDateTime to = q.time("to", false);
    String status = q.oneOf("status", ScheduleWorkflow.STATUSES, false);
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
    return SqlTemplate.forQuery(pool, ScheduleSql.LIST).mapTo(ScheduleSql.SCHEDULE).execute(p)
      .compose(rows -> {
        List<JsonObject> list = new ArrayList<>();
        rows.forEach(list::add);
        return attach(pool, list, req.actor());
      })
      .map(list -> new JsonObject().put("items", new JsonArray(new ArrayList<>(list))));
  }

  private static Map<String, Object> visibility(Actor actor) {
    Map<String, Object> p = new HashMap<>();
    p.put("role", actor.role().wire());
    p.put("userId", actor.id());
    return p;
  }
}
