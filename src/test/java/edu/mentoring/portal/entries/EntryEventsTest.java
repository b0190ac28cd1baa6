package edu.mentoring.portal.entries;

import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entry and comment events reach exactly {@code student:{s}} and {@code mentor:{m}} for each of the student's mentors,
 * and notify exactly the people the workflow names. The student here has two mentors: mentorA through the cohort and
 * mentorB by assignment.
 */
@DisplayName("Learning entries: events, their rooms, and the notifications they cause")
class EntryEventsTest {
  @RegisterExtension
  static final EntryFixture f = new EntryFixture();
  private static Api api;
  private static School school;
  private static School.Member twoMentors;

  @BeforeAll
  static void studentWithTwoMentors() {
    twoMentors = school.register("two-mentors@school.test", "Two Mentors", school.cohortId);
    school.assign(twoMentors, school.mentorB);
  }

  private static Set<String> roomsOf(School.Member student) {
    return student == twoMentors
      ? Set.of(Rooms.student(student.id()), Rooms.mentor(school.mentorA.id()), Rooms.mentor(school.mentorB.id()))
      : Set.of(Rooms.student(student.id()), Rooms.mentor(school.mentorA.id()));
  }

  private static EntryFixture.FeedRow only(String type, long targetId) {
    List<EntryFixture.FeedRow> rows = f.feed(type, targetId, 1);
    assertEquals(1, rows.size(), () -> type + " " + targetId + ": " + rows);
    return rows.get(0);
  }

  @Test
  @DisplayName("entry:created reaches the student and every one of their mentors, carries the entry, notifies nobody")
  void created() {
    JsonObject entry = f.create(twoMentors, "Created");
    EntryFixture.FeedRow row = only("entry:created", entry.getLong("id"));
    assertEquals(roomsOf(twoMentors), row.rooms());
    assertEquals(entry, row.data().getJsonObject("entry"));
    assertEquals(Set.of(), f.notified(row.id()));
  }

  @Test
  @DisplayName("entry:created of a student assigned to one mentor reaches that student and that mentor only")
  void createdOneMentor() {
    JsonObject entry = f.create(school.studentA, "One mentor");
    assertEquals(roomsOf(school.studentA), only("entry:created", entry.getLong("id")).rooms());
  }

  @Test
  @DisplayName("entry:created of a student without a mentor reaches only the student's room")
  void createdNoMentor() {
    School.Member loner = school.register("loner@school.test", "Loner", null);
    JsonObject entry = f.create(loner, "Alone");
    assertEquals(Set.of(Rooms.student(loner.id())), only("entry:created", entry.getLong("id")).rooms());
  }

  @Test
  @DisplayName("a submission is entry:statusChanged {entry, from, to} and notifies each of the student's mentors")
  void submitted() {
    long id = f.create(twoMentors, "Submitted").getLong("id");
    JsonObject after = f.move(id, twoMentors, "submitted");
    EntryFixture.FeedRow row = only("entry:statusChanged", id);
    assertEquals(roomsOf(twoMentors), row.rooms());
    assertEquals(after, row.data().getJsonObject("entry"));
    assertEquals("draft", row.data().getString("from"));
    assertEquals("submitted", row.data().getString("to"));
    assertEquals(Set.of(school.mentorA.id(), school.mentorB.id()), f.notified(row.id()));
  }

  @Test
  @DisplayName("a mentor's decisions are entry:statusChanged events that notify the student only")
  void decisions() {
    long id = f.create(twoMentors, "Decided").getLong("id");
    f.move(id, twoMentors, "submitted");
    f.move(id, school.mentorB, "in_review");
    f.move(id, school.mentorA, "approved");
    List<EntryFixture.FeedRow> rows = f.feed("entry:statusChanged", id, 3);
    assertEquals(3, rows.size(), rows::toString);
    for (EntryFixture.FeedRow row : rows) assertEquals(roomsOf(twoMentors), row.rooms());
    assertEquals("submitted", rows.get(1).data().getString("from"));
    assertEquals("in_review", rows.get(1).data().getString("to"));
    assertEquals(Set.of(twoMentors.id()), f.notified(rows.get(1).id()));
    assertEquals("approved", rows.get(2).data().getString("to"));
    assertEquals(Set.of(twoMentors.id()), f.notified(rows.get(2).id()));
    assertEquals(1, f.count("SELECT count(*) FROM notifications WHERE user_id = " + twoMentors.id()
      + " AND event_id = " + rows.get(2).id() + " AND type = 'entry:statusChanged' AND title LIKE 'Entry approved%'"));
  }

  @Test
  @DisplayName("comment:added {comment, entryId} reaches the student and their mentors and notifies the student")
  void commentAdded() {
    long id = f.entryIn("submitted", twoMentors, school.mentorA).getLong("id");
    JsonObject comment = f.comment(id, school.mentorB, "Consider back-pressure here.");
    EntryFixture.FeedRow row = only("comment:added", comment.getLong("id"));
    assertEquals(roomsOf(twoMentors), row.rooms());
    assertEquals(comment, row.data().getJsonObject("comment"));
    assertEquals(id, row.data().getLong("entryId"));
    assertEquals(Set.of(twoMentors.id()), f.notified(row.id()));
  }

  @Test
  @DisplayName("each command wrote exactly one audit row, and its event is in the log when the request returns")
  void auditAndOutbox() {
    long id = f.create(school.studentA, "Audited").getLong("id");
    f.move(id, school.studentA, "submitted");
    long commentId = f.comment(id, school.mentorA, "Read it").getLong("id");
    assertEquals(1, f.count("SELECT count(*) FROM activity_feed WHERE event_type = 'comment:added' AND target_id = "
      + commentId));
    assertEquals(2, f.count("SELECT count(*) FROM audit_logs WHERE entity_type = 'entry' AND entity_id = " + id));
    assertEquals(1, f.count("SELECT count(*) FROM audit_logs WHERE entity_type = 'comment' AND detail->>'entryId' = '"
      + id + "'"));
  }

  @Test
  @DisplayName("the student's mentor hears entry:created live on mentor:{m}; the envelope carries the feed id")
  void live() {
    try (BridgeClient c = BridgeClient.connect(f.portal.node().vertx(), f.portal.port())) {
      String room = Rooms.mentor(school.mentorA.id());
      c.register(room, school.mentorA.token());
      for (int i = 0; i < 100 && f.portal.node().rooms().roomMembers(room) < 1; i++) EntryFixture.pause();
      long id = f.create(school.studentA, "Live").getLong("id");
      JsonObject msg = c.await(frame -> "rec".equals(frame.getString("type")) && room.equals(frame.getString("address"))
        && "entry:created".equals(frame.getJsonObject("body").getString("type")), Duration.ofSeconds(10));
      assertNotNull(msg, "no entry:created on " + room);
      JsonObject envelope = msg.getJsonObject("body");
      assertEquals(id, envelope.getJsonObject("target").getLong("id"));
      assertEquals(only("entry:created", id).id(), envelope.getLong("id"));
      assertTrue(envelope.getString("occurredAt").endsWith("Z"));
    }
  }
}
