package edu.mentoring.portal.entries;

import edu.mentoring.portal.audit.AuditTrail;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Pages;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.Input;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.entries.EntryWorkflow.Party;
import edu.mentoring.portal.events.DomainEvent;
import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.events.Outbox;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.idempotency.IdempotentCommand;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Owns learning entries and the mentors' comments on them. Who may see an entry is decided in SQL
 * ({@link EntrySql#VISIBLE}); an entry the caller may not see is "not found" for every command.
 */
public class EntryStore extends VerticleBase {
  static final int TITLE_MAX = 200;
  static final int CONTENT_MAX = 20_000;
  static final int FOCUS_STACK_MAX = 100;
  static final int COMMENT_MAX = 5_000;

  private static final Map<String, PortalException> CONSTRAINTS = Map.of(
    "entry_comments_author_id_fkey", PortalException.invalid("authorId", "is not a user"));

  private Pool pool;

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return Future.all(List.of(
      serve(EntryAddresses.CREATE, this::create),
      serve(EntryAddresses.LIST, this::list),
      serve(EntryAddresses.GET, this::get),
      serve(EntryAddresses.UPDATE, this::update),
      serve(EntryAddresses.CHANGE_STATUS, this::changeStatus),
      serve(EntryAddresses.ADD_COMMENT, this::addComment),
      serve(EntryAddresses.LIST_COMMENTS, this::listComments)));
  }

  private Future<Void> serve(String address, Function<BusRequest, Future<JsonObject>> handler) {
    return Bus.serve(vertx, address, CONSTRAINTS, handler).completion();
  }

  // ------------------------------------------------------------------ entries

  private Future<JsonObject> create(BusRequest req) {
    Actor actor = req.actor();
    if (!actor.is(Role.STUDENT)) throw PortalException.forbidden("only students write learning entries");
    Input in = req.input();
    String title = in.text("title", 1, TITLE_MAX);
    String content = in.text("content", 1, CONTENT_MAX);
    String focusStack = in.optionalText("focusStack", FOCUS_STACK_MAX);
    in.validate();
    return IdempotentCommand.transaction(pool, req, conn -> {
        Map<String, Object> p = new HashMap<>();
        p.put("studentId", actor.id());
        p.put("title", title);
        p.put("content", content);
        p.put("focusStack", focusStack);
        return SqlTemplate.forQuery(conn, EntrySql.INSERT).mapTo(EntrySql.ENTRY).execute(p)
          .map(rows -> rows.iterator().next())
          .compose(entry -> mentorsOf(conn, actor.id()).compose(mentors -> Future.all(
              AuditTrail.record(conn, actor, "entry", entry.getLong("id"), "create", null, entry),
              Outbox.append(conn, new DomainEvent(EventTypes.ENTRY_CREATED, actor, "entry", entry.getLong("id"),
                new JsonObject().put("entry", entry.copy()), rooms(actor.id(), mentors), null)))
            .map(entry)));
      });
  }

  private Future<JsonObject> get(BusRequest req) {
    long id = req.pathId("id", "entry");
    return visibleEntry(pool, req.actor(), id, false);
  }

  private Future<JsonObject> list(BusRequest req) {
    Input q = req.query();
    String status = q.oneOf("status", EntryWorkflow.STATUSES, false);
    Long studentId = q.optionalId("studentId");
    Long before = q.optionalId("before");
    int limit = q.limit("limit", 50, 200);
    q.validate();
    Map<String, Object> p = visibility(req.actor());
    p.put("status", status);
    p.put("studentId", studentId);
    p.put("before", before);
    p.put("limit", Pages.fetch(limit));
    return SqlTemplate.forQuery(pool, EntrySql.LIST).mapTo(EntrySql.ENTRY).execute(p)
      .map(rows -> Pages.before(rows, limit));
  }

  /**
   * The owner edits title, content and focusStack while the entry is a draft or needs revision. Fields left out keep
   * their value; {@code "focusStack": null} clears it. No domain event: the contract has none for edits.
   */
  private Future<JsonObject> update(BusRequest req) {
    Actor actor = req.actor();
    if (!actor.is(Role.STUDENT)) throw PortalException.forbidden("only the student who wrote an entry edits it");
    long id = req.pathId("id", "entry");
    JsonObject body = req.body();
    Input in = req.input();
    String title = body.containsKey("title") ? in.text("title", 1, TITLE_MAX) : null;
    String content = body.containsKey("content") ? in.text("content", 1, CONTENT_MAX) : null;
    String focusStack = in.optionalText("focusStack", FOCUS_STACK_MAX);
    if (!body.containsKey("title") && !body.containsKey("content") && !body.containsKey("focusStack")) {
      in.problem("title", "or content or focusStack is required");
    }
    if (body.containsKey("status")) in.problem("status", "is changed with PATCH /entries/{id}/status");
    in.validate();
    return pool.withTransaction(conn -> visibleEntry(conn, actor, id, true).compose(before -> {
        if (!EntryWorkflow.EDITABLE.contains(before.getString("status"))) {
          return Future.failedFuture(PortalException.conflict(
            "an entry can be edited only while draft or needs_revision, this one is " + before.getString("status")));
        }
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("title", body.containsKey("title") ? title : before.getString("title"));
        p.put("content", body.containsKey("content") ? content : before.getString("content"));
        p.put("focusStack", body.containsKey("focusStack") ? focusStack : before.getString("focusStack"));
        return SqlTemplate.forQuery(conn, EntrySql.UPDATE).mapTo(EntrySql.ENTRY).execute(p)
          .map(rows -> rows.iterator().next())
          .compose(after -> AuditTrail.record(conn, actor, "entry", id, "update", before, after).map(after));
      }));
  }

  /** Moves an entry along the workflow of {@link EntryWorkflow}; see docs/entries.md for who may do what. */
  private Future<JsonObject> changeStatus(BusRequest req) {
    Actor actor = req.actor();
    long id = req.pathId("id", "entry");
    Input in = req.input();
    String to = in.oneOf("status", EntryWorkflow.STATUSES, true);
    in.validate();
    // Visibility already narrowed a student to their own entries and a mentor to their students' ones.
    Party party = actor.is(Role.STUDENT) ? Party.OWNER : Party.REVIEWER;
    return pool.withTransaction(conn -> visibleEntry(conn, actor, id, true).compose(before -> {
        String from = before.getString("status");
        EntryWorkflow.check(from, to, party);
        long studentId = before.getLong("studentId");
        Map<String, Object> p = Map.of("id", id, "status", to);
        return SqlTemplate.forQuery(conn, EntrySql.SET_STATUS).mapTo(EntrySql.ENTRY).execute(p)
          .map(rows -> rows.iterator().next())
          .compose(after -> mentorsOf(conn, studentId).compose(mentors -> Future.all(
              AuditTrail.record(conn, actor, "entry", id, "status_change", before, after,
                new JsonObject().put("from", from).put("to", to)),
              Outbox.append(conn, new DomainEvent(EventTypes.ENTRY_STATUS_CHANGED, actor, "entry", id,
                new JsonObject().put("entry", after.copy()).put("from", from).put("to", to),
                rooms(studentId, mentors), statusNotifications(party, after, studentId, mentors))))
            .map(after)));
      }));
  }

  /** A submission tells the student's mentors; a reviewer's decision tells the student. */
  private static JsonArray statusNotifications(Party party, JsonObject entry, long studentId, List<Long> mentors) {
    JsonArray notify = new JsonArray();
    String title = entry.getString("title");
    if (party == Party.OWNER) {
      for (Long m : mentors) {
        notify.add(notification(m, "Entry submitted: " + title, "A learning entry is waiting for your review."));
      }
    } else {
      String status = entry.getString("status");
      String label = switch (status) {
        case EntryWorkflow.IN_REVIEW -> "Entry in review";
        case EntryWorkflow.APPROVED -> "Entry approved";
        case EntryWorkflow.NEEDS_REVISION -> "Entry needs revision";
        default -> "Entry " + status;
      };
      String now = switch (status) {
        case EntryWorkflow.IN_REVIEW -> "Your mentor is reviewing your learning entry.";
        case EntryWorkflow.APPROVED -> "Your mentor approved your learning entry.";
        case EntryWorkflow.NEEDS_REVISION -> "Your mentor asks for changes: edit the entry and submit it again.";
        default -> "Your learning entry is now " + status.replace('_', ' ') + ".";
      };
      notify.add(notification(studentId, label + ": " + title, now));
    }
    return notify;
  }

  // ------------------------------------------------------------------ comments

  /**
   * The entry's mentors, and admins, comment; the comment tells the student. The student who owns the entry replies
   * to one of those comments ({@code parentId}), which tells the mentors: feedback is a conversation.
   */
  private Future<JsonObject> addComment(BusRequest req) {
    Actor actor = req.actor();
    long entryId = req.pathId("id", "entry");
    Input in = req.input();
    if (actor.is(Role.STUDENT) && !in.has("parentId")) {
      throw PortalException.forbidden("students reply to their mentor's comments (parentId)");
    }
    String text = in.text("body", 1, COMMENT_MAX);
    Long parentId = in.optionalId("parentId");
    in.validate();
    return IdempotentCommand.transaction(pool, req, conn -> visibleEntry(conn, actor, entryId, false).compose(entry -> {
        long studentId = entry.getLong("studentId");
        Map<String, Object> p = new HashMap<>();
        p.put("entryId", entryId);
        p.put("authorId", actor.id());
        p.put("body", text);
        p.put("parentId", parentId);
        Future<Void> target = parentId == null ? Future.succeededFuture()
          : SqlTemplate.forQuery(conn, EntrySql.REPLY_TARGET).execute(p).compose(rows -> rows.size() == 1
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(PortalException.invalid("parentId", "is not a comment of this entry that can be answered")));
        return target.compose(v -> SqlTemplate.forQuery(conn, EntrySql.INSERT_COMMENT).mapTo(EntrySql.COMMENT).execute(p))
          .map(rows -> rows.iterator().next())
          .compose(comment -> mentorsOf(conn, studentId).compose(mentors -> Future.all(
              AuditTrail.record(conn, actor, "comment", comment.getLong("id"), "create", null, comment,
                new JsonObject().put("entryId", entryId)),
              Outbox.append(conn, new DomainEvent(EventTypes.COMMENT_ADDED, actor, "comment", comment.getLong("id"),
                new JsonObject().put("comment", comment.copy()).put("entryId", entryId)
                  .put("entry", new JsonObject().put("id", entryId).put("title", entry.getString("title"))
                    .put("studentId", studentId)),
                rooms(studentId, mentors), commentNotifications(actor, comment, entry, mentors))))
            .map(comment)));
      }));
  }

  /** A mentor's comment tells the student; the student's reply tells the entry's mentors. */
  private static JsonArray commentNotifications(Actor actor, JsonObject comment, JsonObject entry, List<Long> mentors) {
    String title = entry.getString("title");
    if (!actor.is(Role.STUDENT)) {
      return new JsonArray().add(notification(entry.getLong("studentId"), "New comment on: " + title,
        comment.getString("authorName") + " commented on your learning entry."));
    }
    String body = comment.getString("body");
    String excerpt = body.length() <= 140 ? body : body.substring(0, 139) + "…";
    JsonArray notify = new JsonArray();
    for (Long m : mentors) {
      notify.add(notification(m, comment.getString("authorName") + " replied on: " + title, excerpt));
    }
    return notify;
  }

  private Future<JsonObject> listComments(BusRequest req) {
    long entryId = req.pathId("id", "entry");
    return visibleEntry(pool, req.actor(), entryId, false)
      .compose(entry -> SqlTemplate.forQuery(pool, EntrySql.COMMENTS_OF_ENTRY).mapTo(EntrySql.COMMENT)
        .execute(Map.of("entryId", entryId)))
      .map(Pages::items);
  }

  // ------------------------------------------------------------------ helpers

  /** The entry if the actor may see it (optionally row-locked for a change), else not_found. */
  private static Future<JsonObject> visibleEntry(SqlClient client, Actor actor, long id, boolean lock) {
    Map<String, Object> p = visibility(actor);
    p.put("id", id);
    return SqlTemplate.forQuery(client, lock ? EntrySql.BY_ID_FOR_UPDATE : EntrySql.BY_ID).mapTo(EntrySql.ENTRY)
      .execute(p)
      .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next())
        : Future.failedFuture(PortalException.notFound("entry")));
  }

  private static Future<List<Long>> mentorsOf(SqlClient conn, long studentId) {
    return SqlTemplate.forQuery(conn, EntrySql.MENTORS_OF_STUDENT).execute(Map.of("studentId", studentId))
      .map(rows -> {
        List<Long> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getLong("mentor_id")));
        return ids;
      });
  }

  /** Entry and comment events → {@code student:{s}} and {@code mentor:{m}} for each of the student's mentors. */
  static List<String> rooms(long studentId, List<Long> mentors) {
    List<String> rooms = new ArrayList<>();
    rooms.add(Rooms.student(studentId));
    for (Long m : mentors) rooms.add(Rooms.mentor(m));
    return rooms;
  }

  private static JsonObject notification(long userId, String title, String body) {
    return new JsonObject().put("userId", userId).put("title", title).put("body", body);
  }

  private static Map<String, Object> visibility(Actor actor) {
    Map<String, Object> p = new HashMap<>();
    p.put("role", actor.role().wire());
    p.put("userId", actor.id());
    return p;
  }
}
