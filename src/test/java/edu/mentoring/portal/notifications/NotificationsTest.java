package edu.mentoring.portal.notifications;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notification inbox over HTTP. Each test works on a student of its own (assigned to mentorA), so the counts it
 * checks are its own; sessions come from mentorA on distinct days so they never overlap.
 */
@DisplayName("Notifications: created by events, listed, read and deleted by their owner only")
class NotificationsTest {
  private static final AtomicInteger DAYS = new AtomicInteger();

  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  /** mentorA schedules a one-hour session for the student on a day of its own; returns the session. */
  static JsonObject sessionFor(School.Member student) {
    return NotificationFixtures.session(api, school.mentorA, student, DAYS.incrementAndGet());
  }

  static Api.Response inbox(School.Member who, String query) {
    Api.Response r = api.get("/api/notifications" + query, who.token());
    assertEquals(200, r.status(), r::toString);
    return r;
  }

  /** The inbox once it satisfies {@code ready}: notifications are pushed after the commit. */
  static Api.Response inboxWhen(School.Member who, Predicate<Api.Response> ready) {
    return NotificationFixtures.eventually(() -> inbox(who, ""), ready);
  }

  static Api.Response inboxWithSessions(School.Member who, int n) {
    return inboxWhen(who, r -> r.items().size() >= n);
  }

  @Test
  @DisplayName("a session created for a student creates exactly one notification for that student, linked to the feed event")
  void sessionNotifiesItsStudent() {
    School.Member s = school.newStudentOf(school.mentorA);
    portal.database().awaitSettled();
    long before = portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + school.studentB.id());
    JsonObject session = sessionFor(s);

    Api.Response r = inboxWithSessions(s, 1);
    assertEquals(1, r.items().size(), r::toString);
    assertEquals(1, r.json().getLong("unreadCount"));
    JsonObject n = r.items().getJsonObject(0);
    assertEquals("schedule:created", n.getString("type"));
    assertEquals("New session: " + session.getString("title"), n.getString("title"));
    assertFalse(n.getBoolean("read"));
    assertTrue(n.getString("createdAt").endsWith("Z"));
    assertEquals(Set.of("id", "type", "title", "body", "eventId", "read", "createdAt"), n.fieldNames());

    JsonArray feed = api.get("/api/activity?type=schedule:created", s.token()).items();
    assertEquals(1, feed.size(), feed::encode);
    assertEquals(session.getLong("id"), feed.getJsonObject(0).getJsonObject("target").getLong("id"));
    assertEquals(feed.getJsonObject(0).getLong("id"), n.getLong("eventId"));
    assertEquals(1, portal.database().count("SELECT count(*) FROM notifications WHERE event_id = " + n.getLong("eventId")));
    assertEquals(before, portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + school.studentB.id()));
  }

  @Test
  @DisplayName("a group session notifies each student of the cohort once")
  void groupSessionNotifiesTheCohort() {
    JsonObject session = NotificationFixtures.groupSession(api, school.mentorA, school.cohortId, DAYS.incrementAndGet());
    JsonObject n = NotificationFixtures.eventually(() -> inbox(school.cohortStudent, "?type=schedule:created"),
        r -> r.items().stream().anyMatch(o -> ((JsonObject) o).getString("title").endsWith(session.getString("title"))))
      .items().getJsonObject(0);
    assertEquals(1, portal.database().count("SELECT count(*) FROM notifications WHERE event_id = " + n.getLong("eventId")
      + " AND user_id = " + school.cohortStudent.id()));
    assertEquals(0, portal.database().count("SELECT count(*) FROM notifications WHERE event_id = " + n.getLong("eventId")
      + " AND user_id <> " + school.cohortStudent.id()));
  }

  @Test
  @DisplayName("the inbox is newest first, filters by unread and by type, and pages with before/nextBefore")
  void listFiltersAndPages() {
    School.Member s = school.newStudentOf(school.mentorA);
    for (int i = 0; i < 3; i++) sessionFor(s);
    JsonArray all = inboxWithSessions(s, 3).items();
    assertEquals(3, all.size());
    long newest = all.getJsonObject(0).getLong("id");
    long middle = all.getJsonObject(1).getLong("id");
    long oldest = all.getJsonObject(2).getLong("id");
    assertTrue(newest > middle && middle > oldest, all::encode);

    Api.Response page1 = inbox(s, "?limit=2");
    assertEquals(2, page1.items().size());
    assertEquals(newest, page1.items().getJsonObject(0).getLong("id"));
    assertEquals(middle, page1.json().getLong("nextBefore"));
    Api.Response page2 = inbox(s, "?limit=2&before=" + page1.json().getLong("nextBefore"));
    assertEquals(1, page2.items().size());
    assertEquals(oldest, page2.items().getJsonObject(0).getLong("id"));
    assertNull(page2.json().getLong("nextBefore"));
    Api.Response exact = inbox(s, "?limit=3");
    assertEquals(3, exact.items().size());
    assertNull(exact.json().getLong("nextBefore"), "a page that ends at the last notification offers no cursor");
    assertEquals(3, page2.json().getLong("unreadCount"), "the count is of the whole inbox, not of the page");

    assertEquals(200, api.post("/api/notifications/" + middle + "/read", s.token(), null).status());
    JsonArray unread = inbox(s, "?unread=true").items();
    assertEquals(2, unread.size());
    unread.forEach(o -> assertFalse(((JsonObject) o).getBoolean("read")));
    JsonArray read = inbox(s, "?unread=false").items();
    assertEquals(1, read.size());
    assertEquals(middle, read.getJsonObject(0).getLong("id"));
    assertTrue(read.getJsonObject(0).getBoolean("read"));

    assertEquals(3, inbox(s, "?type=schedule:created").items().size());
    assertEquals(0, inbox(s, "?type=student:registered").items().size());
  }

  @Test
  @DisplayName("a mentor's inbox filters registrations apart from other types")
  void typeFilterAcrossTypes() {
    School.Member mentor = school.create("inbox-mentor@school.test", "Inbox Mentor", "mentor");
    long cohort = api.post("/api/cohorts", school.admin.token(), new JsonObject().put("name", "Inbox cohort")
      .put("mentorIds", new JsonArray().add(mentor.id()))).json().getLong("id");
    // a student joining the mentor's cohort is announced to them (a student with no mentor only to the admins)
    School.Member joined = school.register("unassigned-joiner@school.test", "Unassigned Joiner", cohort);
    JsonArray registrations = NotificationFixtures.eventually(() -> inbox(mentor, "?type=student:registered"),
      r -> !r.items().isEmpty()).items();
    assertEquals(1, registrations.size());
    assertEquals("New student: Unassigned Joiner", registrations.getJsonObject(0).getString("title"));
    assertEquals(0, inbox(mentor, "?type=schedule:created").items().size());
    assertEquals(1, portal.database().count("SELECT count(*) FROM notifications n JOIN activity_feed f ON f.id = n.event_id"
      + " WHERE n.user_id = " + mentor.id() + " AND f.target_id = " + joined.id()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"?unread=maybe", "?limit=0", "?limit=201", "?limit=ten", "?before=abc", "?before=0",
    "?before=-5", "?type=bogus", "?type=notification:created"})
  @DisplayName("bad query parameters are a 400 validation_failed naming the field")
  void badParameters(String query) {
    Api.Response r = api.get("/api/notifications" + query, school.studentA.token());
    assertEquals(400, r.status(), r::toString);
    assertEquals("validation_failed", r.errorCode());
    String field = query.substring(1, query.indexOf('='));
    assertEquals(field, r.json().getJsonObject("error").getJsonArray("details").getJsonObject(0).getString("field"));
  }

  @Test
  @DisplayName("read, read-all, delete and clear answer the new unread count and change only the caller's inbox")
  void readDeleteClear() {
    School.Member s = school.newStudentOf(school.mentorA);
    for (int i = 0; i < 4; i++) sessionFor(s);
    JsonArray items = inboxWithSessions(s, 4).items();
    long first = items.getJsonObject(0).getLong("id");
    long second = items.getJsonObject(1).getLong("id");
    long third = items.getJsonObject(2).getLong("id");

    Api.Response read = api.post("/api/notifications/" + first + "/read", s.token(), null);
    assertEquals(200, read.status(), read::toString);
    assertEquals(new JsonObject().put("unreadCount", 3), read.json());
    assertEquals(1, portal.database().count("SELECT count(*) FROM notifications WHERE read_at IS NOT NULL AND id = " + first));
    // reading it again is harmless and keeps the count
    assertEquals(3, api.post("/api/notifications/" + first + "/read", s.token(), null).json().getLong("unreadCount"));

    // deleting an unread one lowers the count; the route answers 204 without a body
    Api.Response deleted = api.delete("/api/notifications/" + second, s.token());
    assertEquals(204, deleted.status(), deleted::toString);
    assertEquals(0, deleted.raw().length());
    assertEquals(0, portal.database().count("SELECT count(*) FROM notifications WHERE id = " + second));
    assertEquals(2, inbox(s, "").json().getLong("unreadCount"));
    assertEquals(404, api.delete("/api/notifications/" + second, s.token()).status());

    Api.Response all = api.post("/api/notifications/read-all", s.token(), null);
    assertEquals(200, all.status(), all::toString);
    assertEquals(0, all.json().getLong("unreadCount"));
    assertEquals(0, portal.database().count("SELECT count(*) FROM notifications WHERE read_at IS NULL AND user_id = " + s.id()));
    assertTrue(inbox(s, "").items().stream().allMatch(o -> ((JsonObject) o).getBoolean("read")));
    assertEquals(0, api.post("/api/notifications/" + third + "/read", s.token(), null).json().getLong("unreadCount"));

    portal.database().awaitSettled();
    long othersBefore = portal.database().count("SELECT count(*) FROM notifications WHERE user_id <> " + s.id());
    Api.Response cleared = api.delete("/api/notifications", s.token());
    assertEquals(204, cleared.status(), cleared::toString);
    assertEquals(0, portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + s.id()));
    assertEquals(othersBefore, portal.database().count("SELECT count(*) FROM notifications WHERE user_id <> " + s.id()));
    Api.Response empty = inbox(s, "");
    assertEquals(0, empty.items().size());
    assertEquals(0, empty.json().getLong("unreadCount"));
    // clearing an empty inbox is fine too
    assertEquals(204, api.delete("/api/notifications", s.token()).status());
  }

  @Test
  @DisplayName("another user cannot read, mark or delete my notifications: 404 and the database is unchanged")
  void isolation() {
    School.Member mine = school.newStudentOf(school.mentorA);
    School.Member other = school.newStudentOf(school.mentorA);
    sessionFor(mine);
    sessionFor(other);
    long id = inboxWithSessions(mine, 1).items().getJsonObject(0).getLong("id");
    inboxWithSessions(other, 1);
    String snapshot = "SELECT count(*) FROM notifications WHERE user_id = " + mine.id() + " AND read_at IS NULL AND id = " + id;
    assertEquals(1, portal.database().count(snapshot));

    for (School.Member intruder : new School.Member[]{other, school.mentorA, school.admin}) {
      Api.Response read = api.post("/api/notifications/" + id + "/read", intruder.token(), null);
      assertEquals(404, read.status(), read::toString);
      assertEquals("not_found", read.errorCode());
      Api.Response delete = api.delete("/api/notifications/" + id, intruder.token());
      assertEquals(404, delete.status(), delete::toString);
      assertTrue(inbox(intruder, "?limit=200").items().stream().noneMatch(o -> ((JsonObject) o).getLong("id") == id));
    }
    assertEquals(1, portal.database().count(snapshot));

    // read-all and clear by someone else touch only their own inbox
    assertEquals(0, api.post("/api/notifications/read-all", other.token(), null).json().getLong("unreadCount"));
    assertEquals(204, api.delete("/api/notifications", other.token()).status());
    assertEquals(1, portal.database().count(snapshot));
    assertEquals(1, inbox(mine, "").json().getLong("unreadCount"));
  }

  @Test
  @DisplayName("read-all and read accept a POST without any body, with an empty body, or with {}")
  void postsWithoutBody() {
    School.Member s = school.newStudentOf(school.mentorA);
    sessionFor(s);
    long id = inboxWithSessions(s, 1).items().getJsonObject(0).getLong("id");
    assertEquals(200, api.send(HttpMethod.POST, "/api/notifications/read-all", s.token(), null, null)
      .status());
    assertEquals(200, api.send(HttpMethod.POST, "/api/notifications/" + id + "/read", s.token(),
      Buffer.buffer(), "application/json").status());
    assertEquals(200, api.post("/api/notifications/read-all", s.token(), new JsonObject()).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-1", "99999999"})
  @DisplayName("a notification id that names nothing is a 404")
  void unknownIds(String id) {
    assertEquals(404, api.post("/api/notifications/" + id + "/read", school.studentA.token(), null).status());
    assertEquals(404, api.delete("/api/notifications/" + id, school.studentA.token()).status());
  }

  @Test
  @DisplayName("without a token every notification route answers 401")
  void unauthenticated() {
    assertEquals(401, api.get("/api/notifications", null).status());
    assertEquals(401, api.post("/api/notifications/read-all", null, null).status());
    assertEquals(401, api.post("/api/notifications/1/read", null, null).status());
    assertEquals(401, api.delete("/api/notifications/1", null).status());
    assertEquals(401, api.delete("/api/notifications", null).status());
  }
}
