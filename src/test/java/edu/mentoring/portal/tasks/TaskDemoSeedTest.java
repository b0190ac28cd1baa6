package edu.mentoring.portal.tasks;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.TestPortal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static edu.mentoring.portal.tasks.TaskTesting.awaitCount;
import static edu.mentoring.portal.tasks.TaskTesting.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Tasks in the demo school")
class TaskDemoSeedTest {

  @Test
  @DisplayName("the demo seed assigns a task to Grace's cohort and one to Noah from Alan, through the real command")
  void demoTasks() {
    // no configured admin: the database is empty at start, so the demo school is seeded
    try (TestPortal portal = TestPortal.start(Map.of(PortalConfig.DEMO_DATA, "true",
      PortalConfig.ADMIN_EMAIL, "", PortalConfig.ADMIN_PASSWORD, ""))) {
      assertEquals(List.of("grace@school.test|cohort|3", "alan@school.test|noah@school.test|1"),
        strings(portal.database(), "SELECT m.email || '|' || coalesce(s.email, 'cohort') || '|'"
          + " || (SELECT count(*) FROM task_assignees a WHERE a.task_id = t.id)"
          + " FROM tasks t JOIN users m ON m.id = t.mentor_id LEFT JOIN users s ON s.id = t.student_id ORDER BY t.id"));
      assertEquals(2, awaitCount(portal.database(),
        "SELECT count(*) FROM activity_feed WHERE event_type = 'task:assigned'", 2));
    }
  }
}
