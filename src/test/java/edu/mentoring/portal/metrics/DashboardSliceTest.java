package edu.mentoring.portal.metrics;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A scope of several slices (DashboardMetrics.SLICE students each): the snapshot is still one whole, consistent read. */
@DisplayName("Dashboard snapshot of a cohort larger than one slice: every student once, in name order, totals whole")
class DashboardSliceTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  @Test
  @DisplayName("2.4 slices of students, each with one approved entry, names out of id order")
  void wholeScopeAcrossSlices() throws Exception {
    int extra = DashboardMetrics.SLICE * 2 + DashboardMetrics.SLICE / 2;
    try (Connection c = portal.database().jdbc(); Statement s = c.createStatement()) {
      // names run backwards against ids, so name order is not the order slices are read in
      s.execute("INSERT INTO users (email, password_hash, name, role, cohort_id) SELECT 'slice-' || g || '@school.test',"
        + " 'x', 'Slice ' || lpad((" + extra + " - g)::text, 4, '0'), 'student', " + school.cohortId
        + " FROM generate_series(1, " + extra + ") g");
      s.execute("INSERT INTO learning_entries (student_id, title, content, status) SELECT id, 'Entry', 'text',"
        + " 'approved' FROM users WHERE email LIKE 'slice-%'");
    }
    JsonObject before = api.get("/api/metrics/dashboard", school.mentorA.token()).json();
    JsonArray per = before.getJsonArray("perStudent");
    assertEquals(extra + 2, before.getLong("students"), "mentorA's two students and the cohort's new ones");
    assertEquals(per.size(), per.stream().map(o -> ((JsonObject) o).getLong("studentId")).distinct().count(),
      "every student once");
    List<String> names = new ArrayList<>();
    per.forEach(o -> names.add(((JsonObject) o).getString("name")));
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertEquals(sorted, names, "in name order");
    assertEquals(extra, before.getJsonObject("entries").getLong("approved"));
  }
}
