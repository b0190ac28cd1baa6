package edu.mentoring.portal.schedules;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.templates.SqlTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a refused double booking into help: which session clashes and for whom (a title only where the caller may
 * see that session), the fields to change, and the next time free for everyone. The database judged the clash
 * (exclusion constraints); this only explains it, after the failed transaction, and never hides it: if the
 * explanation cannot be read, the plain 409 stands.
 */
final class ScheduleConflicts {
  static final Set<String> CONSTRAINTS = Set.of("schedules_mentor_no_overlap", "session_claims_no_overlap");
  static final PortalException PLAIN =
    new PortalException(ErrorCode.SCHEDULE_CONFLICT, "overlaps another session of the mentor or of a student");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

  private ScheduleConflicts() {
  }

  static boolean isClash(Throwable t) {
    return (t instanceof PgException pg && CONSTRAINTS.contains(pg.getConstraint()))
      || (t instanceof PortalException pe && pe.code() == ErrorCode.SCHEDULE_CONFLICT);
  }

  /** The session {@code selfId} (PUT) moved to the given times (either may be null: its stored one). */
  static Future<PortalException> explainMove(SqlClient db, Actor actor, long selfId, OffsetDateTime start,
                                             OffsetDateTime end) {
    return SqlTemplate.forQuery(db, ScheduleSql.PLACE).execute(Map.of("id", selfId)).compose(rows -> {
      if (rows.size() != 1) return Future.succeededFuture(PLAIN);
      Row r = rows.iterator().next();
      return explain(db, actor, r.getLong("mentor_id"), r.getLong("student_id"), r.getLong("cohort_id"),
        start != null ? start : r.getOffsetDateTime("start_time"), end != null ? end : r.getOffsetDateTime("end_time"),
        selfId);
    }).recover(t -> Future.succeededFuture(PLAIN));
  }

  static Future<PortalException> explain(SqlClient db, Actor actor, long mentorId, Long studentId, Long cohortId,
                                         OffsetDateTime start, OffsetDateTime end, long selfId) {
    Future<Long[]> students = cohortId == null ? Future.succeededFuture(new Long[] {studentId})
      : SqlTemplate.forQuery(db, ScheduleSql.COHORT_MEMBERS).execute(Map.of("cohortId", cohortId)).map(rows -> {
        List<Long> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getLong("id")));
        return ids.toArray(new Long[0]);
      });
    return students.compose(ids -> {
      Map<String, Object> p = new HashMap<>();
      p.put("mentorId", mentorId);
      p.put("students", ids);
      p.put("selfId", selfId);
      p.put("start", start);
      p.put("end", end);
      p.put("seconds", Duration.between(start, end).toSeconds());
      return Future.all(SqlTemplate.forQuery(db, ScheduleSql.CLASHES).execute(p),
          SqlTemplate.forQuery(db, ScheduleSql.NEXT_FREE).execute(p))
        .map(both -> {
          List<Row> clashes = new ArrayList<>();
          both.<io.vertx.sqlclient.RowSet<Row>>resultAt(0).forEach(clashes::add);
          Row next = both.<io.vertx.sqlclient.RowSet<Row>>resultAt(1).iterator().next();
          OffsetDateTime free = next.getOffsetDateTime("next");
          return describe(actor, mentorId, clashes, free, Duration.between(start, end));
        });
    }).recover(t -> Future.succeededFuture(PLAIN));
  }

  private static PortalException describe(Actor actor, long mentorId, List<Row> clashes, OffsetDateTime free,
                                          Duration length) {
    if (clashes.isEmpty()) return PLAIN; // gone meanwhile (cancelled): the time may be free now
    JsonArray conflicts = new JsonArray();
    List<String> sentences = new ArrayList<>();
    for (Row c : clashes) {
      boolean visible = actor.isAdmin() || c.getLong("mentor_id") == actor.id();
      String when = range(c.getOffsetDateTime("start_time"), c.getOffsetDateTime("end_time"));
      String what = visible ? "“" + c.getString("title") + "”" : "another session";
      boolean mentorBusy = c.getLong("mentor_id") == mentorId;
      String[] names = c.getArrayOfStrings("names");
      JsonObject conflict = new JsonObject().put("startTime", c.getOffsetDateTime("start_time").toInstant().toString())
        .put("endTime", c.getOffsetDateTime("end_time").toInstant().toString()).put("mentorBusy", mentorBusy);
      if (visible) conflict.put("scheduleId", c.getLong("id")).put("title", c.getString("title"));
      JsonArray who = new JsonArray();
      if (names != null) for (String n : names) who.add(n);
      conflict.put("students", who);
      conflicts.add(conflict);
      String whose;
      if (mentorBusy) whose = actor.id() == mentorId ? "you have " : "the mentor has ";
      else whose = people(who) + (who.size() == 1 ? " has " : " have ");
      sentences.add(whose + what + " (" + when + ")");
    }
    StringBuilder message = new StringBuilder("This time clashes: ").append(String.join("; ", sentences)).append('.');
    JsonObject suggestion = null;
    if (free != null) {
      OffsetDateTime until = free.plus(length);
      message.append(" The next time free for everyone is ").append(range(free, until)).append('.');
      suggestion = new JsonObject().put("startTime", free.toInstant().toString()).put("endTime", until.toInstant().toString());
    }
    JsonObject start = new JsonObject().put("field", "startTime").put("problem", sentences.get(0))
      .put("conflicts", conflicts);
    if (suggestion != null) start.put("nextFreeSlot", suggestion);
    JsonArray details = new JsonArray().add(start)
      .add(new JsonObject().put("field", "endTime").put("problem", sentences.get(0)));
    return new PortalException(ErrorCode.SCHEDULE_CONFLICT, message.toString(), details);
  }

  private static String people(JsonArray names) {
    if (names.isEmpty()) return "a student";
    if (names.size() <= 3) {
      List<String> all = names.stream().map(Object::toString).toList();
      return all.size() == 1 ? all.get(0) : String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }
    return names.getString(0) + ", " + names.getString(1) + " and " + (names.size() - 2) + " others";
  }

  /** "Tue 2 Dec 14:00–15:00 UTC": the server knows no reader's zone, so it says which one it uses. */
  static String range(OffsetDateTime start, OffsetDateTime end) {
    OffsetDateTime s = start.withOffsetSameInstant(ZoneOffset.UTC);
    OffsetDateTime e = end.withOffsetSameInstant(ZoneOffset.UTC);
    String to = s.toLocalDate().equals(e.toLocalDate()) ? HOUR.format(e) : DAY.format(e);
    return DAY.format(s) + "–" + to + " UTC";
  }
}
