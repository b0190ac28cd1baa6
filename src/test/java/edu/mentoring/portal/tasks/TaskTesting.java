package edu.mentoring.portal.tasks;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small helpers shared by the task tests: create through the API, read the database for assertions. */
final class TaskTesting {
  private TaskTesting() {
  }

  static JsonObject create(Api api, String token, JsonObject body) {
    Api.Response r = api.post("/api/tasks", token, body);
    assertEquals(201, r.status(), r::toString);
    return r.json();
  }

  static Api.Response setStatus(Api api, String token, long taskId, String status) {
    return api.patch("/api/tasks/" + taskId + "/status", token, new JsonObject().put("status", status));
  }

  /** Everything a status change may touch, as one comparable string: the task, its assignees, its audit rows. */
  static String snapshot(TestDatabase db, long taskId) {
    return strings(db, "SELECT t.status || '|' || t.updated_at || '|' || coalesce((SELECT string_agg(a.student_id"
      + " || ':' || a.status || ':' || coalesce(a.completed_at::text, '-'), ',' ORDER BY a.student_id)"
      + " FROM task_assignees a WHERE a.task_id = t.id), '') || '|' || (SELECT count(*) FROM audit_logs l"
      + " WHERE l.entity_type = 'task' AND l.entity_id = t.id) FROM tasks t WHERE t.id = " + taskId).toString();
  }

  /** The rows of a one-column query, as strings. */
  static List<String> strings(TestDatabase db, String sql) {
    try (var c = db.jdbc(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) out.add(rs.getString(1));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Polls until the query counts {@code expected} (for what happens after commit) or gives up. */
  static long awaitCount(TestDatabase db, String sql, long expected) {
    long n = db.count(sql);
    for (int i = 0; i < 100 && n != expected; i++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      n = db.count(sql);
    }
    return n;
  }
}
