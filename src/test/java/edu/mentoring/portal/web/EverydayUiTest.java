package edu.mentoring.portal.web;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The everyday loops of issue 11 in headless Chromium, as two people side by side: each person is a tab of its own
 * (sessionStorage, hence the sign-in, is per tab), the test switching between them as a viewer would look.
 */
@DisplayName("Everyday UI: attendance and progress seen by both sides (headless Chromium)")
class EverydayUiTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  /** The narrowest phone the layout must hold. */
  private static final Dimension NARROW = new Dimension(360, 740);
  /** 1280 × 800 at 200 % zoom: the CSS viewport a zoomed desktop lays out. */
  private static final Dimension ZOOMED = new Dimension(640, 400);

  @RegisterExtension
  final Chromium.PerTest chromium = new Chromium.PerTest();
  private Chromium browser;

  @Test
  @DisplayName("a student's 'I attended' shows on the mentor's session row live, the mentor's correction shows on the student's page live, and both survive a reload")
  void attendanceBothWays() throws IOException {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(20).truncatedTo(ChronoUnit.MINUTES);
    long id = session(new JsonObject().put("studentId", school.studentA.id()), "Attendance " + tag(), start);
    String row = "#sessions-list li[data-id='" + id + "'] ";

    String student = signInTab(school.studentA.email(), School.PASSWORD);
    awaitText(row + ".attendance", "not marked yet");
    awaitText(row + ".item-meta", "One-to-one with Mentor A");
    awaitText("#mentor-chip", "Your mentor: Mentor A");
    String mentor = signInNewTab(school.mentorA.email(), School.PASSWORD);
    awaitText(row + ".attendance-summary", "Student A not marked yet");

    switchTo(student);
    browser.driver.findElement(By.cssSelector(row + "button[data-mark=attended]")).click();
    awaitText(row + ".attendance", "You attended");
    assertEquals(1, attendance(id, school.studentA.id(), "attended"));
    assertTrue(browser.driver.findElements(By.cssSelector(row + "button[data-mark=attended]")).isEmpty(),
      "'I attended' is gone once it is recorded");

    switchTo(mentor);
    awaitText(row + ".attendance-summary", "Student A attended");
    browser.screenshot("attendance-mentor-sees-student-mark");
    browser.driver.findElement(By.cssSelector(row + ".roll-toggle")).click();
    browser.await().until(d -> d.findElement(By.cssSelector("#roll-" + id + " li[data-student='"
      + school.studentA.id() + "'] button[data-mark=absent]"))).click();
    awaitText(row + ".attendance-summary", "Student A missed it");
    assertEquals(1, attendance(id, school.studentA.id(), "absent"));

    switchTo(student);
    awaitText(row + ".attendance", "You missed it");
    browser.driver.navigate().refresh();
    awaitText(row + ".attendance", "You missed it");
    assertTrue(browser.driver.findElement(By.cssSelector(row + "button[data-mark=attended]")).getText().contains("did attend"));
    browser.screenshot("attendance-student-after-reload");
  }

  @Test
  @DisplayName("a mentor takes the roll of a group session in one view (who came, who missed) and the cohort's student sees their own mark live")
  void mentorTakesTheRoll() throws IOException {
    School.Member second = school.register("roll-" + tag() + "@school.test", "Roll Student", school.cohortId);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusHours(3).truncatedTo(ChronoUnit.HOURS);
    long id = session(new JsonObject().put("isGroupSession", true).put("cohortId", school.cohortId), "Roll " + tag(), start);
    String row = "li[data-id='" + id + "'] ";

    String student = signInTab(school.cohortStudent.email(), School.PASSWORD);
    openPast();
    awaitText(row + ".attendance", "not marked yet");
    String mentor = signInNewTab(school.mentorA.email(), School.PASSWORD);
    openPast();
    browser.await().until(d -> d.findElement(By.cssSelector(row + ".roll-toggle"))).click();
    String roll = "#roll-" + id + " ";
    browser.await().until(d -> d.findElements(By.cssSelector(roll + "li[data-student]")).size() == 2);
    mark(roll, school.cohortStudent, "attended");
    mark(roll, second, "absent");
    awaitText(row + ".attendance-summary", "1 attended · 1 missed · 0 not marked");
    assertTrue(browser.driver.findElement(By.cssSelector(roll)).getText().contains("Cohort Student"),
      "the roll names the students");
    browser.screenshot("roll-group-session-mentor");
    assertEquals(1, attendance(id, school.cohortStudent.id(), "attended"));
    assertEquals(1, attendance(id, second.id(), "absent"));

    switchTo(student);
    awaitText(row + ".attendance", "You attended");
    browser.screenshot("roll-group-session-student");
  }

  @Test
  @DisplayName("the roll reaches a cohort live both ways: each student's page shows only their own mark, a student's 'I attended' moves the mentor's roll, and the session's completion shows on every student's page")
  void theRollIsLiveForEveryStudent() throws IOException {
    String t = tag();
    School.Member mentorOf = school.create("mentor-roll-" + t + "@school.test", "Mentor Roll", "mentor");
    Api.Response cohort = api.post("/api/cohorts", school.admin.token(), new JsonObject().put("name", "Roll cohort " + t)
      .put("mentorIds", new JsonArray().add(mentorOf.id())));
    assertEquals(201, cohort.status(), cohort::toString);
    long cohortId = cohort.json().getLong("id");
    School.Member came = school.register("came-" + t + "@school.test", "Came Student", cohortId);
    School.Member missed = school.register("missed-" + t + "@school.test", "Missed Student", cohortId);
    School.Member late = school.register("late-" + t + "@school.test", "Late Student", cohortId);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30).truncatedTo(ChronoUnit.MINUTES);
    Api.Response made = api.post("/api/schedules", mentorOf.token(), new JsonObject().put("isGroupSession", true)
      .put("cohortId", cohortId).put("title", "Live roll " + t)
      .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, made.status(), made::toString);
    long id = made.json().getLong("id");
    String row = "li[data-id='" + id + "'] ";
    long before = lastEventId(late.token());

    String cameTab = signInTab(came.email(), School.PASSWORD);
    awaitAttendance(row, "pending");
    String missedTab = signInNewTab(missed.email(), School.PASSWORD);
    awaitAttendance(row, "pending");
    String lateTab = signInNewTab(late.email(), School.PASSWORD);
    awaitAttendance(row, "pending");
    String lateElsewhere = signInNewTab(late.email(), School.PASSWORD); // the same student on another device
    awaitAttendance(row, "pending");
    String mentor = signInNewTab(mentorOf.email(), School.PASSWORD);
    browser.await().until(d -> d.findElement(By.cssSelector(row + ".roll-toggle"))).click();
    String roll = "#roll-" + id + " ";
    browser.await().until(d -> d.findElements(By.cssSelector(roll + "li[data-student]")).size() == 3);
    mark(roll, came, "attended");
    mark(roll, missed, "absent");
    awaitText(row + ".attendance-summary", "1 attended · 1 missed · 1 not marked");

    switchTo(cameTab);
    awaitAttendance(row, "attended");
    awaitText(row + ".attendance", "You attended");
    switchTo(missedTab);
    awaitAttendance(row, "absent");
    awaitText(row + ".attendance", "You missed it");
    switchTo(lateTab);
    awaitText(row + ".attendance", "not marked yet");
    browser.driver.findElement(By.cssSelector(row + "button[data-mark=attended]")).click();
    awaitAttendance(row, "attended");
    switchTo(lateElsewhere);
    awaitAttendance(row, "attended");

    switchTo(mentor);
    awaitText(row + ".attendance-summary", "2 attended · 1 missed · 0 not marked");
    browser.await().until(d -> "attended".equals(d.findElement(By.cssSelector(roll + "li[data-student='" + late.id() + "']"))
      .getAttribute("data-attendance")));
    browser.screenshot("roll-live-mentor");
    browser.driver.findElement(By.xpath("//li[@data-id='" + id + "']//button[text()='Mark completed']")).click();
    awaitStatus(row, "completed");

    for (String tab : List.of(cameTab, missedTab, lateTab, lateElsewhere)) {
      switchTo(tab);
      awaitStatus(row, "completed");
    }
    switchTo(lateTab);
    browser.screenshot("roll-live-student");
    // need to know: no event a student could read names anyone's attendance
    for (Object o : api.get("/api/events?after=" + before + "&limit=200", late.token()).items()) {
      JsonObject data = ((JsonObject) o).getJsonObject("data");
      assertTrue(!data.containsKey("attendee") && !data.getJsonObject("schedule").containsKey("attendees"), data::encode);
    }
  }

  @Test
  @DisplayName("a student of a 1:1 that has ended marks 'I attended': the mentor's page shows them attended and the session completed, live")
  void attendanceCompletesAOneToOneLive() throws IOException {
    School.Member student = school.newStudentOf(school.mentorB);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusHours(5).truncatedTo(ChronoUnit.HOURS);
    Api.Response made = api.post("/api/schedules", school.mentorB.token(), new JsonObject().put("studentId", student.id())
      .put("title", "Ended 1:1 " + tag()).put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, made.status(), made::toString);
    long id = made.json().getLong("id");
    String row = "li[data-id='" + id + "'] ";

    String mentor = signInTab(school.mentorB.email(), School.PASSWORD);
    awaitStatus(row, "scheduled");
    String studentTab = signInNewTab(student.email(), School.PASSWORD);
    openPast();
    browser.await().until(d -> d.findElement(By.cssSelector(row + "button[data-mark=attended]"))).click();
    awaitAttendance(row, "attended");
    awaitStatus(row, "completed");

    switchTo(mentor);
    awaitStatus(row, "completed");
    openPast();
    awaitText(row + ".attendance-summary", "Fresh Student");
    awaitText(row + ".attendance-summary", "attended");
    browser.driver.findElement(By.cssSelector(row + ".roll-toggle")).click();
    mark("#roll-" + id + " ", student, "absent");

    switchTo(studentTab);
    awaitAttendance(row, "absent");
  }

  @Test
  @DisplayName("a student setting a task to Done moves the mentor's row, bell and feed live, with the student and the task named")
  void taskProgressReachesTheMentor() throws IOException {
    String title = "Chapter 3 " + tag();
    Api.Response created = api.post("/api/tasks", school.mentorA.token(), new JsonObject()
      .put("studentId", school.studentA.id()).put("title", title));
    assertEquals(201, created.status(), created::toString);
    long id = created.json().getLong("id");
    String row = "#tasks-list li[data-id='" + id + "'] ";

    String mentor = signInTab(school.mentorA.email(), School.PASSWORD);
    awaitText(row + ".task-progress", "Student A: not started");
    String student = signInNewTab(school.studentA.email(), School.PASSWORD);
    progress(row, "in_progress");
    progress(row, "done");
    assertEquals(1, portal.database().count("SELECT count(*) FROM task_assignees WHERE task_id = " + id
      + " AND status = 'done'"));

    switchTo(mentor);
    awaitText(row + ".task-progress", "Student A: done");
    assertEquals("done", browser.driver.findElement(By.cssSelector("#tasks-list li[data-id='" + id + "']")).getAttribute("data-status"));
    awaitText("#activity-list", "Student A finished the task “" + title + "”");
    long unread = portal.database().count("SELECT count(*) FROM notifications WHERE read_at IS NULL AND user_id = "
      + school.mentorA.id());
    assertTrue(unread >= 2, "started and finished notified the mentor");
    browser.await().until(d -> String.valueOf(portal.database().count("SELECT count(*) FROM notifications WHERE read_at IS NULL AND user_id = "
      + school.mentorA.id())).equals(d.findElement(By.id("bell")).getAttribute("data-count")));
    browser.screenshot("task-progress-mentor");
    switchTo(student);
    browser.screenshot("task-progress-student");
  }

  @Test
  @DisplayName("an admin finds a student in Accounts and deactivates them: the student's open page signs out at once with a message; a password link then lets a user set a new password and sign in")
  void adminManagesAccounts() throws IOException {
    School.Member student = school.newStudentOf(school.mentorB);
    String studentTab = signInTab(student.email(), School.PASSWORD);
    String admin = signInNewTab(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    browser.await().until(d -> d.findElement(By.id("users-search")).isDisplayed());
    browser.driver.findElement(By.id("users-search")).sendKeys(student.email());
    String row = "#users-list li[data-id='" + student.id() + "'] ";
    browser.await().until(d -> d.findElements(By.cssSelector("#users-list li[data-id]")).size() == 1
      && !d.findElements(By.cssSelector(row)).isEmpty());
    browser.driver.executeScript("window.confirm = () => true;"); // the confirmation dialog says yes
    browser.driver.findElement(By.cssSelector(row + "button[data-action=deactivate]")).click();
    browser.await().until(d -> "false".equals(d.findElement(By.cssSelector(row)).getAttribute("data-active")));
    assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE id = " + student.id()
      + " AND deactivated_at IS NOT NULL"));
    browser.screenshot("accounts-admin-deactivated");

    switchTo(studentTab);
    awaitText("#auth-view .notice", "deactivated");
    browser.screenshot("accounts-student-signed-out");

    switchTo(admin);
    browser.driver.findElement(By.cssSelector(row + "button[data-action=reactivate]")).click();
    browser.await().until(d -> "true".equals(d.findElement(By.cssSelector(row)).getAttribute("data-active")));
    browser.driver.findElement(By.cssSelector(row + "button[data-action=reset]")).click();
    String url = browser.await().until(d -> d.findElement(By.cssSelector(row + ".reset-url"))).getAttribute("value");
    assertTrue(url.startsWith(portal.node().url().replaceAll("/$", "")) && url.contains("/#reset="), url);

    switchTo(studentTab);
    browser.driver.get(url);
    browser.await().until(d -> d.findElement(By.id("reset-password")).isDisplayed());
    browser.driver.findElement(By.id("reset-password")).sendKeys("my-own-new-secret");
    browser.driver.findElement(By.id("reset-confirm")).sendKeys("my-own-new-secret");
    browser.driver.findElement(By.id("reset-submit")).click();
    browser.await().until(d -> d.findElement(By.id("user-name")).isDisplayed());
    assertTrue(!browser.driver.getCurrentUrl().contains("reset="), "the spent link leaves the address bar");
    assertEquals(200, api.post("/api/auth/login", null, new JsonObject().put("email", student.email())
      .put("password", "my-own-new-secret")).status());
  }

  @Test
  @DisplayName("an admin searches the audit trail by who and object, reads who did it and old → new in words, and exports it as CSV")
  void adminReadsTheAuditTrail() throws Exception {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(40).truncatedTo(ChronoUnit.HOURS);
    long id = session(new JsonObject().put("studentId", school.studentA.id()), "Audit me " + tag(), start);
    assertEquals(200, api.patch("/api/schedules/" + id + "/status", school.mentorA.token(),
      new JsonObject().put("status", "cancelled")).status());
    java.nio.file.Path downloads = java.nio.file.Path.of("target", "browser", "downloads").toAbsolutePath();
    java.nio.file.Files.createDirectories(downloads);
    java.nio.file.Files.deleteIfExists(downloads.resolve("audit-trail.csv"));

    browser.signIn(portal.node().url(), TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    browser.driver.executeCdpCommand("Browser.setDownloadBehavior", java.util.Map.of("behavior", "allow",
      "downloadPath", downloads.toString()));
    browser.await().until(d -> d.findElement(By.id("audit-actor")).isDisplayed());
    new Select(browser.driver.findElement(By.id("audit-actor"))).selectByValue(Long.toString(school.mentorA.id()));
    new Select(browser.driver.findElement(By.id("audit-type"))).selectByValue("schedule");
    browser.driver.findElement(By.id("audit-id")).sendKeys(Long.toString(id));
    browser.driver.findElement(By.id("audit-search")).click();
    browser.await().until(d -> d.findElements(By.cssSelector("#audit-rows tr[data-id]")).size() == 2);
    String first = browser.driver.findElement(By.cssSelector("#audit-rows tr[data-id]")).getText();
    assertTrue(first.contains("Mentor A") && first.contains("Status") && first.contains("status: scheduled → cancelled"), first);
    browser.driver.executeScript("document.getElementById('audit-panel').scrollIntoView()");
    browser.screenshot("audit-trail-admin");

    browser.driver.findElement(By.id("audit-export")).click();
    java.nio.file.Path csv = downloads.resolve("audit-trail.csv");
    browser.await().until(d -> java.nio.file.Files.exists(csv));
    List<String> lines = java.nio.file.Files.readAllLines(csv);
    assertEquals(3, lines.size(), lines::toString);
    assertTrue(lines.get(0).startsWith("id,time,actor,actorId,action"), lines.get(0));
    assertTrue(lines.get(1).contains("\"Mentor A\"") && lines.get(1).contains("\"status\""), lines.get(1));
  }

  @Test
  @DisplayName("a clashing time in the form names the session that clashes, marks both time fields and offers the next free slot; after success the form is reset whole")
  void conflictsHelpAndTheFormResets() throws IOException {
    java.time.LocalDateTime base = java.time.LocalDateTime.now().plusDays(50).withHour(10).truncatedTo(ChronoUnit.HOURS);
    OffsetDateTime taken = base.atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime();
    String existing = "Taken slot " + tag();
    session(new JsonObject().put("studentId", school.studentA.id()), existing, taken);
    java.time.format.DateTimeFormatter local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    browser.signIn(portal.node().url(), school.mentorA.email(), School.PASSWORD);
    browser.driver.findElement(By.cssSelector("#session-composer > summary")).click();
    String title = "Wanted " + tag();
    browser.await().until(d -> d.findElement(By.id("session-title"))).sendKeys(title);
    new Select(browser.driver.findElement(By.id("session-audience"))).selectByValue("student:" + school.studentA.id());
    setValue("session-start", base.plusMinutes(30).format(local));
    setValue("session-end", base.plusMinutes(90).format(local));
    browser.driver.findElement(By.id("session-focus")).sendKeys("Java");
    browser.driver.findElement(By.id("session-submit")).click();
    WebElement error = browser.await().until(d -> {
      WebElement e = d.findElement(By.cssSelector("#session-form .form-error"));
      return e.isDisplayed() ? e : null;
    });
    assertTrue(error.getText().contains("“" + existing + "”"), error.getText());
    assertTrue(!error.getText().contains("startTime"), "no field names: " + error.getText());
    assertEquals("true", browser.driver.findElement(By.id("session-start")).getAttribute("aria-invalid"));
    assertEquals("true", browser.driver.findElement(By.id("session-end")).getAttribute("aria-invalid"));
    browser.screenshot("conflict-explained");
    browser.driver.findElement(By.id("session-use-free")).click();
    assertEquals(base.plusHours(1).format(local), browser.driver.findElement(By.id("session-start")).getAttribute("value"));
    browser.driver.findElement(By.id("session-submit")).click();
    browser.await().until(d -> portal.database().count("SELECT count(*) FROM schedules WHERE title = '" + title + "'") == 1);

    // the next session starts from a clean form
    browser.await().until(d -> d.findElement(By.cssSelector("#session-composer")).getAttribute("open") == null);
    browser.driver.findElement(By.cssSelector("#session-composer > summary")).click();
    assertEquals("", browser.driver.findElement(By.id("session-title")).getAttribute("value"));
    assertEquals("", browser.driver.findElement(By.id("session-audience")).getAttribute("value"));
    assertEquals("", browser.driver.findElement(By.id("session-focus")).getAttribute("value"));
    String start = browser.driver.findElement(By.id("session-start")).getAttribute("value");
    assertTrue(start.endsWith("T10:00"), "defaults in working hours: " + start);
  }

  @Test
  @DisplayName("with a slow API, signing in says so at once (the button is busy), instead of showing nothing")
  void slowSignInShowsItsState() {
    browser.driver.get(portal.node().url());
    browser.await().until(d -> d.findElement(By.id("login-email"))).sendKeys(school.studentB.email());
    browser.driver.findElement(By.id("login-password")).sendKeys(School.PASSWORD);
    browser.driver.executeCdpCommand("Network.enable", java.util.Map.of());
    browser.driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of("offline", false,
      "latency", 1500, "downloadThroughput", -1, "uploadThroughput", -1));
    browser.driver.findElement(By.id("login-submit")).click();
    WebElement button = browser.driver.findElement(By.id("login-submit"));
    assertEquals("true", button.getAttribute("aria-busy"));
    assertEquals("Signing in…", button.getText());
    assertTrue(!button.isEnabled(), "no second click while it waits");
    browser.driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of("offline", false,
      "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    browser.await().until(d -> d.findElement(By.id("user-name")).isDisplayed());
  }

  @Test
  @DisplayName("a student reads their mentor's feedback above the editor and answers it in its thread; the mentor sees the reply live and is notified")
  void feedbackIsAConversation() throws IOException {
    School.Member student = school.newStudentOf(school.mentorA);
    Api.Response made = api.post("/api/entries", student.token(), new JsonObject().put("title", "Futures " + tag())
      .put("content", "What I learnt"));
    assertEquals(201, made.status(), made::toString);
    long entry = made.json().getLong("id");
    assertEquals(200, api.patch("/api/entries/" + entry + "/status", student.token(), new JsonObject().put("status", "submitted")).status());
    Api.Response comment = api.post("/api/entries/" + entry + "/comments", school.mentorA.token(),
      new JsonObject().put("body", "Where does the callback run?"));
    assertEquals(201, comment.status(), comment::toString);
    long top = comment.json().getLong("id");
    assertEquals(200, api.patch("/api/entries/" + entry + "/status", school.mentorA.token(), new JsonObject().put("status", "needs_revision")).status());

    String mentor = signInTab(school.mentorA.email(), School.PASSWORD);
    openEntry(entry);
    String studentTab = signInNewTab(student.email(), School.PASSWORD);
    openEntry(entry);
    String thread = "#entry-comments li[data-id='" + top + "'] ";
    browser.await().until(d -> !d.findElements(By.cssSelector(thread + "textarea")).isEmpty());
    assertEquals(Boolean.TRUE, browser.driver.executeScript("const c = document.getElementById('entry-comments');"
      + " const f = document.getElementById('entry-edit-form');"
      + " return !!f && !!(c.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING);"), "the feedback comes before the editor");
    browser.driver.findElement(By.cssSelector(thread + "textarea")).sendKeys("On the event loop that registered it.");
    browser.driver.findElement(By.cssSelector(thread + ".reply-form button")).click();
    awaitText(thread + ".replies", "On the event loop that registered it.");
    browser.screenshot("feedback-student-replied");

    switchTo(mentor);
    awaitText(thread + ".replies", "On the event loop that registered it.");
    browser.await().until(d -> portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + school.mentorA.id()
      + " AND title LIKE '% replied on: Futures%'") == 1);
    browser.screenshot("feedback-mentor-sees-reply");
    switchTo(studentTab);
  }

  @Test
  @DisplayName("the inbox filters by unread and kind, loads more, opens a notification's object and keeps the focus after Mark read; Clear all asks first; the feed filters by kind")
  void inboxYouCanWorkThrough() throws IOException {
    School.Member student = school.newStudentOf(school.mentorB);
    for (int i = 0; i < 31; i++) {
      assertEquals(201, api.post("/api/tasks", school.mentorB.token(), new JsonObject().put("studentId", student.id())
        .put("title", "Task " + i)).status());
    }
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(60).truncatedTo(ChronoUnit.HOURS);
    Api.Response s = api.post("/api/schedules", school.mentorB.token(), new JsonObject().put("studentId", student.id())
      .put("title", "Linked session").put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, s.status(), s::toString);
    long session = s.json().getLong("id");
    portal.database().awaitCount("SELECT count(*) FROM notifications WHERE user_id = " + student.id(), 32);

    browser.signIn(portal.node().url(), student.email(), School.PASSWORD);
    browser.driver.findElement(By.id("bell")).click();
    browser.await().until(d -> d.findElements(By.cssSelector("#notif-list li[data-id]")).size() == 30);
    browser.driver.findElement(By.id("notif-more")).click();
    browser.await().until(d -> d.findElements(By.cssSelector("#notif-list li[data-id]")).size() == 32);
    assertTrue(!browser.driver.findElement(By.id("notif-more")).isDisplayed(), "no more to load");

    // Mark read keeps the keyboard where it was
    WebElement firstRow = browser.driver.findElement(By.cssSelector("#notif-list li[data-id]"));
    String firstId = firstRow.getAttribute("data-id");
    firstRow.findElement(By.cssSelector(".notif-actions .btn")).click();
    browser.await().until(d -> firstId.equals(d.switchTo().activeElement().findElement(By.xpath("ancestor::li[1]")).getAttribute("data-id")));
    new Select(browser.driver.findElement(By.id("notif-show"))).selectByValue("true");
    browser.await().until(d -> d.findElements(By.cssSelector("#notif-list li[data-id]")).size() == 30);

    new Select(browser.driver.findElement(By.id("notif-show"))).selectByValue("");
    new Select(browser.driver.findElement(By.id("notif-type"))).selectByValue("schedule:created");
    browser.await().until(d -> d.findElements(By.cssSelector("#notif-list li[data-id]")).size() == 1);
    browser.screenshot("inbox-filtered");
    browser.driver.findElement(By.cssSelector("#notif-list .notif-link")).click();
    browser.await().until(d -> String.valueOf(session).equals(d.switchTo().activeElement().getAttribute("data-id")));
    assertTrue(browser.driver.findElement(By.id("notif-panel")).getAttribute("hidden") != null, "the panel closed");

    browser.driver.findElement(By.id("bell")).click();
    browser.driver.executeScript("window.confirm = () => false;");
    browser.driver.findElement(By.id("notif-clear")).click();
    assertEquals(32, portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + student.id()),
      "a refused confirmation deletes nothing");
    browser.driver.executeScript("window.confirm = () => true;");
    browser.driver.findElement(By.id("notif-clear")).click();
    browser.await().until(d -> portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + student.id()) == 0);
    browser.driver.findElement(By.id("bell")).click();

    new Select(browser.driver.findElement(By.id("activity-type"))).selectByValue("schedule:created");
    browser.await().until(d -> d.findElements(By.cssSelector("#activity-list li[data-id]")).size() == 1
      && d.findElement(By.cssSelector("#activity-list li[data-id]")).getText().contains("Linked session"));
  }

  @Test
  @DisplayName("the sign-in tabs answer the arrow keys, and the focus ring is a solid 3 px line of at least 3:1 contrast")
  void tabsAndFocus() {
    browser.driver.get(portal.node().url());
    WebElement signIn = browser.await().until(d -> d.findElement(By.id("tab-signin")));
    browser.driver.executeScript("arguments[0].focus();", signIn);
    signIn.sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
    browser.await().until(d -> "tab-register".equals(d.switchTo().activeElement().getAttribute("id")));
    assertEquals("true", browser.driver.findElement(By.id("tab-register")).getAttribute("aria-selected"));
    assertTrue(browser.driver.findElement(By.id("register-form")).isDisplayed());
    assertTrue(!browser.driver.findElement(By.id("login-form")).isDisplayed());
    assertEquals("-1", signIn.getAttribute("tabindex"), "one tab stop for the tab list");
    browser.driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.HOME);
    browser.await().until(d -> "tab-signin".equals(d.switchTo().activeElement().getAttribute("id")));

    // focus moved by the keyboard shows the ring
    Object ring = browser.driver.executeScript("const s = getComputedStyle(document.activeElement);"
      + " return [s.outlineStyle, s.outlineWidth, s.outlineColor];");
    assertEquals(List.of("solid", "3px", "rgb(29, 70, 184)"), ring, "#1d46b8: 8.0:1 on white, 7.4:1 on the page's background");
  }

  @Test
  @DisplayName("every view in every role, at 1280 px, 200 % zoom, 390 and 360 px wide, has no axe-core violation, nothing wider than the screen, targets of at least 24 px and a notification panel on screen")
  void everyViewIsAccessibleAtEveryWidth() throws IOException {
    StringBuilder problems = new StringBuilder();
    browser.driver.get(portal.node().url());
    browser.await().until(d -> d.findElement(By.id("login-email")).isDisplayed());
    for (Dimension size : List.of(Chromium.DESKTOP, ZOOMED, Chromium.PHONE, NARROW)) {
      browser.viewport(size);
      check("sign-in", size, problems);
    }
    browser.viewport(Chromium.DESKTOP);
    for (School.Member who : List.of(school.studentA, school.mentorA, school.admin)) {
      String role = who == school.admin ? "admin" : who == school.mentorA ? "mentor" : "student";
      if (who == school.admin) browser.signIn(portal.node().url(), TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
      else browser.signIn(portal.node().url(), who.email(), School.PASSWORD);
      for (Dimension size : List.of(Chromium.DESKTOP, ZOOMED, Chromium.PHONE, NARROW)) {
        browser.viewport(size);
        check(role, size, problems);
        browser.driver.findElement(By.id("bell")).click();
        browser.await().until(d -> d.findElement(By.id("notif-panel")).isDisplayed());
        check(role + "-notifications", size, problems);
        Object box = browser.driver.executeScript("const r = document.getElementById('notif-panel')"
          + ".getBoundingClientRect(); return [r.left, r.right, window.innerWidth];");
        List<?> edges = (List<?>) box;
        if (((Number) edges.get(0)).doubleValue() < 0 || ((Number) edges.get(1)).doubleValue() > ((Number) edges.get(2)).doubleValue() + 0.5) {
          problems.append(role).append(" at ").append(size).append(": the notification panel is off screen ").append(edges).append('\n');
        }
        browser.driver.findElement(By.id("bell")).click();
      }
      browser.driver.findElement(By.id("sign-out")).click();
      browser.await().until(d -> d.findElement(By.id("login-email")).isDisplayed());
      browser.viewport(Chromium.DESKTOP);
    }
    assertEquals("", problems.toString());
  }

  /** axe-core, the page's width and its targets at one size; a screenshot of the view. */
  private void check(String view, Dimension size, StringBuilder problems) throws IOException {
    String where = view + " at " + size.width + "x" + size.height;
    browser.screenshot("view-" + view + "-" + size.width);
    JsonArray violations = Axe.violations(browser.driver);
    if (!violations.isEmpty()) problems.append(where).append(": axe ").append(violations.encodePrettily()).append('\n');
    Object overflow = browser.driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
    if (((Number) overflow).intValue() > 0) problems.append(where).append(": wider than the screen by ").append(overflow).append(" px\n");
    Object small = browser.driver.executeScript("""
      return [...document.querySelectorAll('button, select, input:not([type=hidden]), a[href], summary, [role=tab]')]
        .filter(e => e.offsetParent !== null && !e.closest('.sr-only, .skip-link'))
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.height < 24 || r.width < 24))
        .map(([e, r]) => (e.id || e.className || e.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));""");
    if (!((List<?>) small).isEmpty()) problems.append(where).append(": targets under 24 px ").append(small).append('\n');
    Object crowded = browser.driver.executeScript("return [...document.querySelectorAll('.mini-table thead th')]"
      + ".filter(th => th.scrollWidth > th.clientWidth + 1).map(th => th.textContent);");
    if (!((List<?>) crowded).isEmpty()) problems.append(where).append(": table headers overflow their column ").append(crowded).append('\n');
    Object badge = browser.driver.executeScript("const c = document.getElementById('connection');"
      + " return !document.getElementById('session-area').hidden && (c.offsetParent === null || c.getBoundingClientRect().width === 0);");
    if (Boolean.TRUE.equals(badge)) problems.append(where).append(": the connection badge is hidden\n");
  }

  // ------------------------------------------------------------------ helpers

  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 6);
  }

  private static long session(JsonObject audience, String title, OffsetDateTime start) {
    Api.Response r = api.post("/api/schedules", school.mentorA.token(), audience.put("title", title)
      .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, r.status(), r::toString);
    return r.json().getLong("id");
  }

  private static long attendance(long scheduleId, long studentId, String attendance) {
    return portal.database().count("SELECT count(*) FROM schedule_attendees WHERE schedule_id = " + scheduleId
      + " AND student_id = " + studentId + " AND attendance = '" + attendance + "'");
  }

  private void mark(String roll, School.Member who, String attendance) {
    browser.await().until(d -> {
      d.findElement(By.cssSelector(roll + "li[data-student='" + who.id() + "'] button[data-mark=" + attendance + "]")).click();
      return true;
    });
    browser.await().until(d -> attendance.equals(d.findElement(By.cssSelector(roll + "li[data-student='" + who.id() + "']"))
      .getAttribute("data-attendance")));
  }

  /** The student's own attendance on a session's row, as its data attribute says (hidden rows too). */
  private void awaitAttendance(String row, String attendance) {
    browser.await().withMessage(() -> row + " never showed attendance " + attendance)
      .until(d -> d.findElements(By.cssSelector(row + ".attendance")).stream()
        .anyMatch(e -> attendance.equals(e.getAttribute("data-attendance"))));
  }

  /** A session's status chip (in the upcoming list or folded among the past ones). */
  private void awaitStatus(String row, String status) {
    browser.await().withMessage(() -> row + " never reached status " + status)
      .until(d -> d.findElements(By.cssSelector(row + ".chip-" + status)).size() > 0);
  }

  private static long lastEventId(String token) {
    JsonArray items = api.get("/api/activity?limit=1", token).items();
    return items.isEmpty() ? 0 : items.getJsonObject(0).getLong("id");
  }

  private void progress(String row, String status) {
    browser.await().until(d -> {
      new Select(d.findElement(By.cssSelector(row + "select"))).selectByValue(status);
      return true;
    });
    browser.await().until(d -> status.equals(d.findElement(By.cssSelector(row)).getAttribute("data-status"))
      && d.findElement(By.cssSelector(row + "select")).isEnabled());
  }

  private void openEntry(long id) {
    browser.await().until(d -> {
      d.findElement(By.cssSelector("#entries-list li[data-id='" + id + "'] .item-link")).click();
      return true;
    });
    browser.await().until(d -> d.findElement(By.id("entry-detail")).isDisplayed());
  }

  /** Past sessions are folded away: unfold them. */
  private void openPast() {
    browser.await().until(d -> d.findElement(By.cssSelector("#sessions-panel details.past")).isDisplayed());
    WebElement past = browser.driver.findElement(By.cssSelector("#sessions-panel details.past"));
    if (past.getAttribute("open") == null) past.findElement(By.tagName("summary")).click();
  }

  private String signInTab(String email, String password) {
    return browser.signInTab(portal.node().url(), email, password);
  }

  private String signInNewTab(String email, String password) {
    return browser.signInNewTab(portal.node().url(), email, password);
  }

  private void setValue(String id, String value) {
    browser.driver.executeScript("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
      + "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
      id, value);
  }

  private void switchTo(String handle) {
    browser.switchTo(handle);
  }

  private void awaitText(String selector, String text) {
    browser.await().withMessage(() -> selector + " never read '" + text + "': "
        + browser.driver.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList())
      .until(d -> d.findElements(By.cssSelector(selector)).stream().anyMatch(e -> e.getText().contains(text)));
  }
}
