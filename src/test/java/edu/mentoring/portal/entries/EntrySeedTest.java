package edu.mentoring.portal.entries;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.TestPortal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Learning entries: demo data")
class EntrySeedTest {

  @Test
  @DisplayName("the demo seed gives lin a submitted entry with Grace's comment and noah a draft, with their events")
  void seeded() {
    try (TestPortal portal = TestPortal.start(Map.of(PortalConfig.DEMO_DATA, "true",
      PortalConfig.ADMIN_EMAIL, "", PortalConfig.ADMIN_PASSWORD, ""))) {
      var db = portal.database();
      assertEquals(1, db.count("SELECT count(*) FROM learning_entries e JOIN users u ON u.id = e.student_id"
        + " WHERE u.email = 'lin@school.test' AND e.status = 'submitted' AND e.submitted_at IS NOT NULL"));
      assertEquals(1, db.count("SELECT count(*) FROM entry_comments c JOIN users u ON u.id = c.author_id"
        + " JOIN learning_entries e ON e.id = c.entry_id JOIN users s ON s.id = e.student_id"
        + " WHERE u.email = 'grace@school.test' AND s.email = 'lin@school.test'"));
      assertEquals(1, db.count("SELECT count(*) FROM learning_entries e JOIN users u ON u.id = e.student_id"
        + " WHERE u.email = 'noah@school.test' AND e.status = 'draft'"));
      assertEquals(4, db.count("SELECT count(*) FROM activity_feed WHERE event_type LIKE 'entry:%'"
        + " OR event_type = 'comment:added'"));
    }
  }
}
