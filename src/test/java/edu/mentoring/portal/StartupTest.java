package edu.mentoring.portal;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Start-up: demo school and start-up admin")
class StartupTest {
  // the sign-ins StartupTasks prints after seeding
  private static final String ADMIN_PASSWORD = "admin-demo-2026";
  private static final String MENTOR_PASSWORD = "mentor-demo-2026";
  private static final String STUDENT_PASSWORD = "student-demo-2026";
  private static final List<String> STUDENTS = List.of("lin", "sam", "maya", "noah", "ines", "kofi");

  /** Demo data on; no start-up admin (blank counts as unset). */
  private static final Map<String, String> DEMO = Map.of(PortalConfig.DEMO_DATA, "true",
    PortalConfig.ADMIN_EMAIL, "", PortalConfig.ADMIN_PASSWORD, "");

  private static long count(TestDatabase db, String where) {
    return db.count("SELECT count(*) FROM users WHERE " + where);
  }

  private static JsonObject login(Api api, String email, String password) {
    Api.Response r = api.post("/api/auth/login", null, new JsonObject().put("email", email).put("password", password));
    assertEquals(200, r.status(), () -> email + " → " + r);
    return r.json().getJsonObject("user");
  }

  @Test
  @DisplayName("demo data on an empty database seeds an admin, 2 mentors, a cohort and 6 students who can sign in; "
    + "a restart does not seed again")
  void demoSchool() {
    try (TestDatabase db = TestDatabase.create()) {
      try (TestPortal portal = TestPortal.startOn(db, DEMO)) {
        assertEquals(1, count(db, "role = 'admin'"));
        assertEquals(2, count(db, "role = 'mentor'"));
        assertEquals(6, count(db, "role = 'student'"));
        assertEquals(1, db.count("SELECT count(*) FROM cohorts"));
        assertEquals(3, count(db, "role = 'student' AND cohort_id IS NOT NULL"));
        assertEquals(3, count(db, "role = 'student' AND mentor_id IS NOT NULL"));

        Api api = portal.api();
        assertEquals("admin", login(api, "admin@school.test", ADMIN_PASSWORD).getString("role"));
        assertEquals("mentor", login(api, "grace@school.test", MENTOR_PASSWORD).getString("role"));
        assertEquals("mentor", login(api, "alan@school.test", MENTOR_PASSWORD).getString("role"));
        for (String s : STUDENTS) {
          assertEquals("student", login(api, s + "@school.test", STUDENT_PASSWORD).getString("role"));
        }
        // the seed went through the real commands: grace sees her cohort's three students
        String grace = api.login("grace@school.test", MENTOR_PASSWORD);
        assertEquals(3, api.get("/api/students", grace).items().size());
      }
      try (TestPortal again = TestPortal.startOn(db, DEMO)) {
        assertEquals(9, count(db, "true"), "a restart seeds nothing");
        assertEquals(1, db.count("SELECT count(*) FROM cohorts"));
        login(again.api(), "admin@school.test", ADMIN_PASSWORD);
      }
    }
  }

  @Test
  @DisplayName("the configured admin is created on an empty database, and not once an admin exists")
  void startupAdmin() {
    try (TestDatabase db = TestDatabase.create()) {
      try (TestPortal portal = TestPortal.startOn(db, Map.of())) {
        assertEquals(1, count(db, "role = 'admin'"));
        assertEquals("admin", login(portal.api(), TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD)
          .getString("role"));
      }
      try (TestPortal restarted = TestPortal.startOn(db, Map.of(PortalConfig.ADMIN_EMAIL, "second@school.test",
        PortalConfig.ADMIN_PASSWORD, "second-password-1"))) {
        assertEquals(0, count(db, "email = 'second@school.test'"), "an admin exists: nobody is created");
        assertEquals(1, count(db, "role = 'admin'"));
        Api.Response r = restarted.api().post("/api/auth/login", null, new JsonObject()
          .put("email", "second@school.test").put("password", "second-password-1"));
        assertEquals(401, r.status());
      }
      // the same admin configured again changes nothing (and its password is not reset)
      try (TestPortal third = TestPortal.startOn(db, Map.of(PortalConfig.ADMIN_PASSWORD, "another-password-1"))) {
        assertEquals(1, count(db, "role = 'admin'"));
        login(third.api(), TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
      }
    }
  }

  @Test
  @DisplayName("with demo data and a configured admin on an empty database, both the admin and the demo school exist")
  void demoDataWithConfiguredAdmin() {
    try (TestDatabase db = TestDatabase.create();
         TestPortal portal = TestPortal.startOn(db, Map.of(PortalConfig.DEMO_DATA, "true"))) {
      login(portal.api(), TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
      login(portal.api(), "admin@school.test", ADMIN_PASSWORD);
      assertEquals(6, count(db, "role = 'student'"));
      assertEquals(2, count(db, "role = 'admin'"));
    }
  }
}
