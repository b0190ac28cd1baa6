package edu.mentoring.portal.entries;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Feedback is a conversation: a student answers their mentor's comments in threads, and the mentor hears it")
class FeedbackThreadTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static long entry(School.Member student, String title) {
    Api.Response r = api.post("/api/entries", student.token(), new JsonObject().put("title", title).put("content", "Text"));
    assertEquals(201, r.status(), r::toString);
    long id = r.json().getLong("id");
    assertEquals(200, api.patch("/api/entries/" + id + "/status", student.token(), new JsonObject().put("status", "submitted")).status());
    return id;
  }

  private static long comment(School.Member who, long entryId, JsonObject body) {
    Api.Response r = api.post("/api/entries/" + entryId + "/comments", who.token(), body);
    assertEquals(201, r.status(), r::toString);
    return r.json().getLong("id");
  }

  @Test
  @DisplayName("a student's reply hangs under the mentor's comment, notifies the mentor with the entry named, and the feed names the entry")
  void studentRepliesInAThread() {
    long entryId = entry(school.studentA, "Futures and the event loop");
    long top = comment(school.mentorA, entryId, new JsonObject().put("body", "Where does the callback run?"));
    long reply = comment(school.studentA, entryId, new JsonObject().put("body", "On the event loop.").put("parentId", top));
    long answer = comment(school.mentorA, entryId, new JsonObject().put("body", "Right.").put("parentId", top));

    JsonArray thread = api.get("/api/entries/" + entryId + "/comments", school.studentA.token()).items();
    assertEquals(3, thread.size());
    assertNull(thread.getJsonObject(0).getValue("parentId"));
    assertEquals(top, thread.getJsonObject(1).getLong("parentId"));
    assertEquals(reply, thread.getJsonObject(1).getLong("id"));
    assertEquals(top, thread.getJsonObject(2).getLong("parentId"));
    assertEquals(answer, thread.getJsonObject(2).getLong("id"));

    portal.database().awaitCount("SELECT count(*) FROM notifications WHERE user_id = " + school.mentorA.id()
      + " AND title = 'Student A replied on: Futures and the event loop' AND body = 'On the event loop.'", 1);
    portal.database().awaitCount("SELECT count(*) FROM notifications WHERE user_id = " + school.studentA.id()
      + " AND title = 'New comment on: Futures and the event loop'", 2);
    assertEquals(0, portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + school.studentA.id()
      + " AND title LIKE '%replied%'"), "the student is not told of their own reply");
    portal.database().awaitCount("SELECT count(*) FROM activity_feed WHERE event_type = 'comment:added' AND target_id = "
      + reply + " AND data->'entry'->>'title' = 'Futures and the event loop' AND (data->'comment'->>'parentId')::bigint = " + top, 1);
  }

  @Test
  @DisplayName("refused, nothing written: a student's top-level comment (403), a reply to a reply or to another entry's comment (400), another student's reply (404)")
  void refusals() {
    long entryId = entry(school.studentA, "Threads refused");
    long other = entry(school.studentA, "Another entry");
    long top = comment(school.mentorA, entryId, new JsonObject().put("body", "First"));
    long reply = comment(school.studentA, entryId, new JsonObject().put("body", "Answer").put("parentId", top));
    long elsewhere = comment(school.mentorA, other, new JsonObject().put("body", "Elsewhere"));
    long before = portal.database().count("SELECT count(*) FROM entry_comments");
    String path = "/api/entries/" + entryId + "/comments";
    assertEquals(403, api.post(path, school.studentA.token(), new JsonObject().put("body", "Top")).status());
    assertEquals(400, api.post(path, school.studentA.token(), new JsonObject().put("body", "Deep").put("parentId", reply)).status());
    Api.Response cross = api.post(path, school.studentA.token(), new JsonObject().put("body", "Cross").put("parentId", elsewhere));
    assertEquals(400, cross.status(), cross::toString);
    assertEquals("parentId", cross.json().getJsonObject("error").getJsonArray("details").getJsonObject(0).getString("field"));
    assertEquals(404, api.post(path, school.studentB.token(), new JsonObject().put("body", "Not mine").put("parentId", top)).status());
    assertEquals(400, api.post(path, school.studentA.token(), new JsonObject().put("body", "").put("parentId", top)).status());
    assertEquals(before, portal.database().count("SELECT count(*) FROM entry_comments"));
    assertTrue(before >= 3);
  }
}
