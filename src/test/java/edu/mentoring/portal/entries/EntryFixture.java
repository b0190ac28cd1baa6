package edu.mentoring.portal.entries;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link SchoolFixture} (one portal and school per test class, filling the class's static fields) plus the
 * entry-specific steps and database probes the entry tests share:
 * {@code @RegisterExtension static final EntryFixture f = new EntryFixture();}
 */
final class EntryFixture implements BeforeAllCallback, AfterAllCallback {
  private final SchoolFixture base = new SchoolFixture();
  TestPortal portal;
  Api api;
  School school;

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    base.beforeAll(context);
    portal = base.portal();
    api = portal.api();
    school = base.school();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    base.afterAll(context);
  }

  // ------------------------------------------------------------------ steps through the real API

  JsonObject create(School.Member student, String title) {
    Api.Response r = api.post("/api/entries", student.token(), new JsonObject().put("title", title)
      .put("content", "What I learned: " + title).put("focusStack", "Vert.x"));
    assertEquals(201, r.status(), r::toString);
    return r.json();
  }

  JsonObject move(long entryId, School.Member who, String status) {
    Api.Response r = api.patch("/api/entries/" + entryId + "/status", who.token(), new JsonObject().put("status", status));
    assertEquals(200, r.status(), () -> "→ " + status + ": " + r);
    return r.json();
  }

  /** An entry of {@code student} brought to {@code status} along the workflow by the student and {@code mentor}. */
  JsonObject entryIn(String status, School.Member student, School.Member mentor) {
    JsonObject e = create(student, "Entry headed for " + status);
    long id = e.getLong("id");
    switch (status) {
      case "draft" -> { }
      case "submitted" -> e = move(id, student, "submitted");
      case "in_review" -> {
        move(id, student, "submitted");
        e = move(id, mentor, "in_review");
      }
      case "approved", "needs_revision" -> {
        move(id, student, "submitted");
        e = move(id, mentor, status);
      }
      default -> fail("unknown status " + status);
    }
    return e;
  }

  JsonObject comment(long entryId, School.Member author, String body) {
    Api.Response r = api.post("/api/entries/" + entryId + "/comments", author.token(), new JsonObject().put("body", body));
    assertEquals(201, r.status(), r::toString);
    return r.json();
  }

  // ------------------------------------------------------------------ database probes

  /**
   * What a refused request must leave alone: entries (count and every column), comments, the audit rows of entries
   * and comments (access_denied rows for a wrong role are expected and written by the HTTP verticle), and events
   * (the event log).
   */
  record State(long entries, String entriesDigest, long comments, long audits, long events) {
  }

  State state() {
    String sql = """
      SELECT (SELECT count(*) FROM learning_entries),
             (SELECT COALESCE(md5(string_agg(e::text, '|' ORDER BY e.id)), '') FROM learning_entries e),
             (SELECT count(*) FROM entry_comments),
             (SELECT count(*) FROM audit_logs WHERE entity_type IN ('entry', 'comment')),
             (SELECT count(*) FROM activity_feed)""";
    try (Connection c = portal.database().jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new State(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row, as text. */
  String text(String sql) {
    try (Connection c = portal.database().jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long count(String sql) {
    return portal.database().count(sql);
  }

  /** A stamped activity-feed row. */
  record FeedRow(long id, String type, Set<String> rooms, JsonObject data) {
  }

  /** The feed rows of {@code type} about {@code targetId}, once there are {@code n} of them. */
  List<FeedRow> feed(String type, long targetId, int n) {
    List<FeedRow> rows = List.of();
    for (int i = 0; i < 100; i++) {
      rows = queryFeed(type, targetId);
      if (rows.size() >= n) return rows;
      pause();
    }
    return rows;
  }

  private List<FeedRow> queryFeed(String type, long targetId) {
    String sql = "SELECT id, event_type, rooms, data::text FROM activity_feed WHERE event_type = ? AND target_id = ? ORDER BY id";
    try (Connection c = portal.database().jdbc(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, type);
      s.setLong(2, targetId);
      List<FeedRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String[] rooms = (String[]) rs.getArray(3).getArray();
          out.add(new FeedRow(rs.getLong(1), rs.getString(2), new TreeSet<>(Arrays.asList(rooms)),
            new JsonObject(rs.getString(4))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The user ids notified by one feed event (written once it is numbered: waits for that). */
  Set<Long> notified(long eventId) {
    portal.database().awaitSettled();
    String sql = "SELECT user_id FROM notifications WHERE event_id = ? ORDER BY user_id";
    try (Connection c = portal.database().jdbc(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, eventId);
      Set<Long> out = new TreeSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(rs.getLong(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
