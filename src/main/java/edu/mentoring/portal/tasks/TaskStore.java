package edu.mentoring.portal.tasks;

import edu.mentoring.portal.metrics.MetricsAddresses;

import edu.mentoring.portal.accounts.CohortRoll;
import edu.mentoring.portal.accounts.MentorAudience;
import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
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

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns tasks and each assignee's progress (workflow in docs/tasks.md). Every status change locks the task row, so
 * the automatic "done when every assignee is done" holds however many assignees report at once.
 */
public class TaskStore extends VerticleBase {
  static final List<String> STATUSES = List.of("open", "in_progress", "done", "cancelled");
  /** An assignee's own moves: start, finish, reopen. */
  static final Map<String, List<String>> PROGRESS = Map.of(
    "open", List.of("in_progress"),
    "in_progress", List.of("done"),
    "done", List.of("in_progress"));

  static final long ASSIGNEE_SWEEP_MS = 2_000;

  private Pool pool;
  private long sweeper = -1;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    sweeper = vertx.setPeriodic(ASSIGNEE_SWEEP_MS,
      id -> CohortRoll.sweep(pool, TaskSql.ASSIGNEES_PENDING, TaskSql.ADD_ASSIGNEES));
    return Future.all(
      Bus.serve(vertx, TaskAddresses.CREATE, Map.of(), this::create).completion(),
      Bus.serve(vertx, TaskAddresses.LIST, Map.of(), this::list).completion(),
      Bus.serve(vertx, TaskAddresses.CHANGE_STATUS, Map.of(), this::changeStatus).completion());
  }

  @Override
  public Future<?> stop() {
    if (sweeper != -1) vertx.cancelTimer(sweeper);
    return Future.succeededFuture();
  }

  // ------------------------------------------------------------------ create

  private Future<JsonObject> create(BusRequest req) {
    Actor actor = req.actor();
    if (actor.is(Role.STUDENT)) throw PortalException.forbidden("only mentors assign tasks");
    Input in = req.input();
    String title = in.text("title", 1, 200);
    String description = in.optionalText("description", 5000);
    OffsetDateTime dueAt = in.time("dueAt", false);
    Long studentId = in.optionalId("studentId");
    Long cohortId = in.optionalId("cohortId");
    Long mentorId = actor.isAdmin() ? in.id("mentorId") : Long.valueOf(actor.id());
    if (!actor.isAdmin() && in.has("mentorId") && !Long.valueOf(actor.id()).equals(in.optionalId("mentorId"))) {
      in.problem("mentorId", "may only be set by an admin");
    }
    if (in.has("studentId") && in.has("cohortId")) {
      in.problem("cohortId", "must be absent when studentId is given (a task is for a student or a cohort)");
    } else if (!in.has("studentId") && !in.has("cohortId")) {
      in.problem("studentId", "is required (or cohortId for a cohort task)");
    }
    in.validate();

    return IdempotentCommand.transaction(pool, req, conn -> MentorAudience.check(conn, mentorId, studentId, cohortId)
        .compose(v -> {
          Map<String, Object> p = new HashMap<>();
          p.put("mentorId", mentorId);
          p.put("studentId", studentId);
          p.put("cohortId", cohortId);
          p.put("title", title);
          p.put("description", description);
          p.put("dueAt", dueAt);
          return SqlTemplate.forQuery(conn, TaskSql.INSERT).mapTo(TaskSql.TASK).execute(p);
        })
        .map(rows -> rows.iterator().next())
        .compose(task -> {
          if (cohortId != null) {
            // one row per member is written after commit; the event says how many it is for
            return SqlTemplate.forQuery(conn, TaskSql.MEMBER_COUNT).execute(Map.of("cohortId", cohortId))
              .map(rows -> task.put("assignees", new JsonArray()).put("assigneeCount", rows.iterator().next().getLong("n")));
          }
          Map<String, Object> p = Map.of("taskId", task.getLong("id"), "studentId", studentId);
          return SqlTemplate.forUpdate(conn, TaskSql.INSERT_ASSIGNEE).execute(p)
            .compose(v -> withAssignees(conn, List.of(task), null))
            .map(tasks -> tasks.get(0));
        })
        .compose(task -> Future.all(
            AuditTrail.record(conn, actor, "task", task.getLong("id"), "create", null, withoutCount(task)),
            Outbox.append(conn, assigned(actor, task)))
          .map(task)))
      .compose(task -> cohortId == null ? Future.succeededFuture(task)
        : CohortRoll.takeAfterCommit(vertx, pool, TaskSql.ADD_ASSIGNEES, task.getLong("id"), cohortId,
            config().getLong(CohortRoll.CONFIG_LINGER_MS, CohortRoll.LINGER_MS))
          .compose(v -> withAssignees(pool, List.of(withoutCount(task)), null)).map(tasks -> tasks.get(0)));
  }

  private static JsonObject withoutCount(JsonObject task) {
    JsonObject copy = task.copy();
    copy.remove("assigneeCount");
    return copy;
  }

  /**
   * {@code task:assigned} → the student's room (or the cohort's), the mentor's; notifies every assignee. The event
   * carries the task without its assignee list: a cohort room reaches every member, and a student may see only
   * their own progress.
   */
  static DomainEvent assigned(Actor actor, JsonObject task) {
    Long cohortId = task.getLong("cohortId");
    List<String> rooms = List.of(
      cohortId != null ? Rooms.cohort(cohortId) : Rooms.student(task.getLong("studentId")),
      Rooms.mentor(task.getLong("mentorId")));
    JsonArray assignees = task.getJsonArray("assignees");
    JsonArray notify = new JsonArray();
    String due = task.getString("dueAt");
    String title = "New task: " + task.getString("title");
    String body = due == null ? "No due date" : "Due " + due;
    if (cohortId != null) {
      notify.add(new JsonObject().put("cohortId", cohortId).put("title", title).put("body", body));
    }
    for (int i = 0; cohortId == null && i < assignees.size(); i++) {
      notify.add(new JsonObject().put("userId", assignees.getJsonObject(i).getLong("studentId"))
        .put("title", title).put("body", body));
    }
    JsonObject shown = task.copy();
    shown.remove("assignees");
    shown.put("assigneeCount", task.getLong("assigneeCount", (long) assignees.size()));
    return new DomainEvent(EventTypes.TASK_ASSIGNED, actor, "task", task.getLong("id"),
      new JsonObject().put("task", shown), rooms, notify);
  }

  // ------------------------------------------------------------------ list

  private Future<JsonObject> list(BusRequest req) {
    Actor actor = req.actor();
    Input q = req.query();
    String status = q.oneOf("status", STATUSES, false);
    Long studentId = q.optionalId("studentId");
    Long cohortId = q.optionalId("cohortId");
    int limit = q.limit("limit", 200, 1000);
    q.validate();
    Map<String, Object> p = visibility(actor);
    p.put("status", status);
    p.put("studentId", studentId);
    p.put("cohortId", cohortId);
    p.put("limit", limit);
    return SqlTemplate.forQuery(pool, TaskSql.LIST).mapTo(TaskSql.TASK).execute(p)
      .compose(rows -> {
        List<JsonObject> tasks = new ArrayList<>();
        rows.forEach(tasks::add);
        return withAssignees(pool, tasks, actor.is(Role.STUDENT) ? actor.id() : null);
      })
      .map(tasks -> Pages.items(tasks.stream().map(t -> view(t, actor)).toList()));
  }

  /** Adds {@code assignees} to each task (only {@code onlyStudent}'s entry when given), in one query. */
  private static Future<List<JsonObject>> withAssignees(SqlClient client, List<JsonObject> tasks, Long onlyStudent) {
    if (tasks.isEmpty()) return Future.succeededFuture(tasks);
    Map<Long, JsonArray> byTask = new LinkedHashMap<>();
    for (JsonObject t : tasks) {
      JsonArray a = new JsonArray();
      t.put("assignees", a);
      byTask.put(t.getLong("id"), a);
    }
    Map<String, Object> p = new HashMap<>();
    p.put("ids", byTask.keySet().toArray(new Long[0]));
    p.put("onlyStudent", onlyStudent);
    return SqlTemplate.forQuery(client, TaskSql.ASSIGNEES).execute(p).map(rows -> {
      rows.forEach(r -> byTask.get(r.getLong("task_id")).add(new JsonObject()
        .put("studentId", r.getLong("student_id"))
        .put("status", r.getString("status"))
        .put("completedAt", r.getOffsetDateTime("completed_at") == null ? null
          : r.getOffsetDateTime("completed_at").toInstant().toString())));
      return tasks;
    });
  }

  /** What the caller sees: a student only their own assignee entry, plus {@code myStatus}. */
  static JsonObject view(JsonObject task, Actor actor) {
    if (!actor.is(Role.STUDENT)) return task;
    JsonObject mine = null;
    JsonArray own = new JsonArray();
    for (Object o : task.getJsonArray("assignees", new JsonArray())) {
      JsonObject a = (JsonObject) o;
      if (a.getLong("studentId") == actor.id()) {
        mine = a;
        own.add(a);
      }
    }
    return task.copy().put("assignees", own).put("myStatus", mine == null ? null : mine.getString("status"));
  }

  private static Map<String, Object> visibility(Actor actor) {
    Map<String, Object> p = new HashMap<>();
    p.put("role", actor.role().wire());
    p.put("userId", actor.id());
    return p;
  }

  // ------------------------------------------------------------------ status workflow

  private Future<JsonObject> changeStatus(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "task");
    Input in = req.input();
    String status = in.oneOf("status", STATUSES, true);
    in.validate();
    return pool.withTransaction(conn -> {
      Map<String, Object> p = visibility(actor);
      p.put("id", id);
      return SqlTemplate.forQuery(conn, TaskSql.LOCK_VISIBLE).execute(p)
        .compose(rows -> {
          if (rows.size() != 1) return Future.failedFuture(PortalException.notFound("task"));
          Row row = rows.iterator().next();
          JsonObject task = TaskSql.TASK.map(row);
          // a change right after a cohort task's commit writes its assignees first, in this transaction
          Future<Void> pending = row.getBoolean("assignees_pending")
            ? CohortRoll.take(conn, TaskSql.ADD_ASSIGNEES, id, task.getLong("cohortId")) : Future.succeededFuture();
          return pending.compose(v -> withAssignees(conn, List.of(task), null));
        })
        .map(tasks -> tasks.get(0))
        .compose(before -> (actor.is(Role.STUDENT) ? progress(conn, actor, before, status)
            : manage(conn, before, status))
          .compose(after -> withAssignees(conn, List.of(after), null))
          .map(tasks -> tasks.get(0))
          .compose(after -> Future.all(
              AuditTrail.record(conn, actor, "task", id, "change_status", before, after,
                actor.is(Role.STUDENT) ? new JsonObject().put("studentId", actor.id()).put("progress", status) : null),
              actor.is(Role.STUDENT) ? progressed(conn, actor, before, after) : Future.succeededFuture())
            .map(view(after, actor))));
    }).onSuccess(task -> touchMetrics(task));
  }

  /**
   * {@code task:progressed}: an assignee's move reaches their own room and the mentor's (never the cohort's: a
   * classmate's progress is not a member's business), and notifies the mentor in words.
   */
  private static Future<Void> progressed(SqlConnection conn, Actor actor, JsonObject before, JsonObject after) {
    JsonObject mine = view(after, actor).getJsonArray("assignees").getJsonObject(0);
    String from = view(before, actor).getString("myStatus");
    return SqlTemplate.forQuery(conn, TaskSql.USER_NAME).execute(Map.of("id", actor.id()))
      .compose(rows -> {
        String name = rows.iterator().next().getString("name");
        long mentorId = after.getLong("mentorId");
        JsonObject shown = withoutCount(after);
        JsonArray assignees = (JsonArray) shown.remove("assignees");
        long done = assignees.stream().filter(a -> "done".equals(((JsonObject) a).getString("status"))).count();
        shown.put("assigneeCount", assignees.size());
        String to = mine.getString("status");
        JsonObject data = new JsonObject().put("task", shown).put("assignee", mine).put("previousProgress", from)
          .put("studentName", name);
        if (after.getLong("cohortId") != null) data.put("doneCount", done);
        JsonArray notify = new JsonArray().add(new JsonObject().put("userId", mentorId)
          .put("title", name + " " + progressVerb(from, to) + " “" + after.getString("title") + "”")
          .put("body", after.getLong("cohortId") == null ? progressBody(to)
            : done + " of " + assignees.size() + " students have finished it."));
        return Outbox.append(conn, new DomainEvent(EventTypes.TASK_PROGRESSED, actor, "task", after.getLong("id"),
          data, List.of(Rooms.student(actor.id()), Rooms.mentor(mentorId)), notify));
      });
  }

  /** "started", "finished", "reopened": what the mentor reads, never the status names. */
  static String progressVerb(String from, String to) {
    if ("done".equals(to)) return "finished";
    return "done".equals(from) ? "reopened" : "started";
  }

  private static String progressBody(String to) {
    return "done".equals(to) ? "The task is complete." : "Work on the task is under way.";
  }

  /** Progress moves the dashboards: tell the metrics (after commit). */
  private void touchMetrics(JsonObject task) {
    JsonArray rooms = new JsonArray().add(Rooms.mentor(task.getLong("mentorId")));
    if (task.getLong("studentId") != null) rooms.add(Rooms.student(task.getLong("studentId")));
    if (task.getLong("cohortId") != null) rooms.add(Rooms.cohort(task.getLong("cohortId")));
    vertx.eventBus().publish(MetricsAddresses.TOUCHED, new JsonObject().put("rooms", rooms));
  }

  /** An assignee moves their own progress; the task's status then follows everyone's progress. */
  private static Future<JsonObject> progress(SqlClient conn, Actor actor, JsonObject task, String to) {
    if ("cancelled".equals(task.getString("status"))) {
      return Future.failedFuture(PortalException.illegalTransition("the task is cancelled"));
    }
    String from = view(task, actor).getString("myStatus");
    if (!PROGRESS.getOrDefault(from, List.of()).contains(to)) {
      return Future.failedFuture(PortalException.illegalTransition("your progress cannot go from "
        + words(from) + " to " + words(to)));
    }
    Map<String, Object> p = new HashMap<>();
    p.put("taskId", task.getLong("id"));
    p.put("studentId", actor.id());
    p.put("status", to);
    return SqlTemplate.forUpdate(conn, TaskSql.UPDATE_ASSIGNEE).execute(p)
      .compose(v -> derive(conn, task.getLong("id")));
  }

  /** The task's mentor (or an admin) cancels the task, or takes it back: it then resumes from its assignees' progress. */
  private static Future<JsonObject> manage(SqlClient conn, JsonObject task, String to) {
    boolean cancelled = "cancelled".equals(task.getString("status"));
    if ("cancelled".equals(to) && !cancelled) {
      return SqlTemplate.forQuery(conn, TaskSql.CANCEL).mapTo(TaskSql.TASK).execute(Map.of("id", task.getLong("id")))
        .map(rows -> rows.iterator().next());
    }
    if ("open".equals(to) && cancelled) return derive(conn, task.getLong("id"));
    return Future.failedFuture(PortalException.illegalTransition(
      "a mentor may only cancel a task or reopen a cancelled one (not " + words(task.getString("status")) + " to "
        + words(to) + "); progress is the assignees'"));
  }

  /** A status as people say it: "in_progress" → "in progress". */
  static String words(String status) {
    return status == null ? "none" : status.replace('_', ' ');
  }

  private static Future<JsonObject> derive(SqlClient conn, long taskId) {
    return SqlTemplate.forQuery(conn, TaskSql.DERIVE_STATUS).mapTo(TaskSql.TASK).execute(Map.of("id", taskId))
      .map(rows -> rows.iterator().next());
  }
}
