package edu.mentoring.portal.entries;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Learning entries: the status workflow (docs/entries.md)")
class EntryWorkflowTest {
  @RegisterExtension
  static final EntryFixture f = new EntryFixture();
  private static Api api;
  private static School school;

  private static School.Member party(String who) {
    return who.equals("owner") ? school.studentA : who.equals("mentor") ? school.mentorA : school.admin;
  }

  @ParameterizedTest(name = "{0} → {1} by the {2}")
  @CsvSource({
    "draft, submitted, owner",
    "needs_revision, submitted, owner",
    "submitted, in_review, mentor",
    "submitted, approved, mentor",
    "submitted, needs_revision, mentor",
    "in_review, approved, mentor",
    "in_review, needs_revision, mentor",
    "submitted, in_review, admin",
    "in_review, approved, admin"})
  @DisplayName("every legal transition succeeds, is audited, and writes one entry:statusChanged event")
  void legal(String from, String to, String who) {
    JsonObject before = f.entryIn(from, school.studentA, school.mentorA);
    long id = before.getLong("id");
    String events = "SELECT count(*) FROM activity_feed WHERE event_type = 'entry:statusChanged' AND target_id = " + id;
    long eventsBefore = f.count(events);
    JsonObject after = f.move(id, party(who), to);
    assertEquals(to, after.getString("status"));
    assertEquals(to, api.get("/api/entries/" + id, school.studentA.token()).json().getString("status"));
    if (to.equals("submitted")) {
      assertTrue(after.getString("submittedAt").endsWith("Z"));
    } else {
      assertEquals(before.getString("submittedAt"), after.getString("submittedAt"));
    }
    assertEquals(1, f.count("SELECT count(*) FROM audit_logs WHERE entity_type = 'entry' AND entity_id = " + id
      + " AND action = 'status_change' AND detail->>'from' = '" + from + "' AND detail->>'to' = '" + to + "'"));
    assertEquals(eventsBefore + 1, f.count(events));
  }

  @ParameterizedTest(name = "{0} → {1} by the {2} → 409")
  @CsvSource({
    // moves the workflow does not have
    "draft, in_review, mentor",
    "draft, approved, mentor",
    "draft, needs_revision, mentor",
    "draft, draft, owner",
    "submitted, submitted, owner",
    "submitted, draft, owner",
    "in_review, submitted, owner",
    "in_review, in_review, mentor",
    "in_review, draft, mentor",
    "approved, submitted, owner",
    "approved, needs_revision, mentor",
    "approved, in_review, mentor",
    "approved, draft, owner",
    "needs_revision, approved, mentor",
    "needs_revision, in_review, mentor",
    // moves that exist, made by the wrong party
    "draft, submitted, mentor",
    "draft, submitted, admin",
    "needs_revision, submitted, mentor",
    "submitted, in_review, owner",
    "submitted, approved, owner",
    "in_review, approved, owner",
    "in_review, needs_revision, owner"})
  @DisplayName("every other move is illegal_transition and changes nothing")
  void illegal(String from, String to, String who) {
    long id = f.entryIn(from, school.studentA, school.mentorA).getLong("id");
    EntryFixture.State before = f.state();
    Api.Response r = api.patch("/api/entries/" + id + "/status", party(who).token(), new JsonObject().put("status", to));
    assertEquals(409, r.status(), r::toString);
    assertEquals("illegal_transition", r.errorCode());
    assertEquals(before, f.state());
  }

  @ParameterizedTest(name = "while {0}")
  @ValueSource(strings = {"submitted", "in_review", "approved"})
  @DisplayName("the owner cannot edit an entry that is with the mentor or approved (409 conflict)")
  void editLocked(String status) {
    long id = f.entryIn(status, school.studentA, school.mentorA).getLong("id");
    EntryFixture.State before = f.state();
    Api.Response r = api.put("/api/entries/" + id, school.studentA.token(), new JsonObject().put("title", "Sneaky"));
    assertEquals(409, r.status(), r::toString);
    assertEquals("conflict", r.errorCode());
    assertEquals(before, f.state());
  }

  @Test
  @DisplayName("a full cycle: submit, review, revise (edit allowed), resubmit (submittedAt moves on), approve")
  void fullCycle() {
    long id = f.create(school.studentA, "Cycle").getLong("id");
    JsonObject submitted = f.move(id, school.studentA, "submitted");
    f.move(id, school.mentorA, "in_review");
    f.move(id, school.mentorA, "needs_revision");
    Api.Response edit = api.put("/api/entries/" + id, school.studentA.token(), new JsonObject().put("content", "Better"));
    assertEquals(200, edit.status(), edit::toString);
    assertEquals("needs_revision", edit.json().getString("status"));
    JsonObject resubmitted = f.move(id, school.studentA, "submitted");
    assertTrue(Instant.parse(resubmitted.getString("submittedAt"))
      .isAfter(Instant.parse(submitted.getString("submittedAt"))));
    JsonObject approved = f.move(id, school.mentorA, "approved");
    assertEquals("Better", approved.getString("content"));
    assertEquals("draft>submitted,submitted>in_review,in_review>needs_revision,needs_revision>submitted,"
      + "submitted>approved", f.text("SELECT string_agg((detail->>'from') || '>' || (detail->>'to'), ',' ORDER BY id)"
      + " FROM audit_logs WHERE entity_type = 'entry' AND entity_id = " + id + " AND action = 'status_change'"));
  }

  @Test
  @DisplayName("a draft has no submittedAt")
  void draftHasNoSubmittedAt() {
    assertNull(f.create(school.studentA, "Fresh").getString("submittedAt"));
  }

  @Test
  @DisplayName("two reviewers deciding at once: exactly one decision wins, the other is illegal_transition")
  void concurrentDecisions() {
    long id = f.entryIn("submitted", school.studentA, school.mentorA).getLong("id");
    CompletableFuture<Api.Response> approve = CompletableFuture.supplyAsync(() -> api.patch("/api/entries/" + id
      + "/status", school.mentorA.token(), new JsonObject().put("status", "approved")));
    CompletableFuture<Api.Response> revise = CompletableFuture.supplyAsync(() -> api.patch("/api/entries/" + id
      + "/status", school.admin.token(), new JsonObject().put("status", "needs_revision")));
    List<Integer> statuses = List.of(approve.join().status(), revise.join().status());
    assertTrue(statuses.contains(200) && statuses.contains(409), statuses::toString);
    assertEquals(2, f.count("SELECT count(*) FROM audit_logs WHERE entity_type = 'entry' AND entity_id = " + id
      + " AND action = 'status_change'")); // the submission and the winning decision
  }
}
