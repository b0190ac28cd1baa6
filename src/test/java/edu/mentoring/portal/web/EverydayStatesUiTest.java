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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's honest states in headless Chromium: lists that page (the activity feed, the inbox) with their filters,
 * confirmations that really stop an action, and every action that waits for a slow API saying so.
 */
@DisplayName("Everyday UI: paging, confirmations and busy states (headless Chromium)")
class EverydayStatesUiTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  /** The feed's page (activity.js MAX_ITEMS) and the inbox's (notifications.js). */
  private static final int FEED_PAGE = 50;
  private static final int INBOX_PAGE = 30;
  /** What a slow API adds to every request: long enough to look at the page while it waits. */
  private static final int SLOW_MS = 2000;

  @RegisterExtension
  final Chromium.PerTest chromium = new Chromium.PerTest();
  private Chromium browser;

  @Test
  @DisplayName("Load older appends the feed's older pages in order without duplicates and goes away at the end, also filtered by kind; the inbox pages by kind too")
  void feedAndInboxPage() throws IOException {
    School.Member mentor = school.create("mentor-feed-" + tag() + "@school.test", "Mentor Feed", "mentor");
    School.Member student = school.newStudentOf(mentor);
    int tasks = 2 * FEED_PAGE + 5;
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).truncatedTo(ChronoUnit.HOURS);
    List<Integer> sessionsAfter = List.of(10, 60, 95); // other kinds among the tasks, on every page of the feed
    for (int i = 0; i < tasks; i++) {
      assertEquals(201, api.post("/api/tasks", mentor.token(), new JsonObject().put("studentId", student.id())
        .put("title", "Paged task " + i)).status());
      if (!sessionsAfter.contains(i)) continue;
      Api.Response s = api.post("/api/schedules", mentor.token(), new JsonObject().put("studentId", student.id())
        .put("title", "Paged session " + i).put("startTime", start.plusDays(i).toString())
        .put("endTime", start.plusDays(i).plusHours(1).toString()));
      assertEquals(201, s.status(), s::toString);
    }
    portal.database().awaitCount("SELECT count(*) FROM notifications WHERE user_id = " + student.id(), tasks + 3);
    List<Long> everything = feed(student, null);
    List<Long> ofTasks = feed(student, "task:assigned");
    assertTrue(everything.size() > 2 * FEED_PAGE && ofTasks.size() > 2 * FEED_PAGE, everything::toString);

    browser.signIn(portal.node().url(), student.email(), School.PASSWORD);
    awaitFeed(everything.subList(0, FEED_PAGE));
    // with a slow API the button says it is loading, and takes no second click
    slow(true);
    assertBusyAtOnce("#activity-older", "Load older");
    slow(false);
    awaitFeed(everything.subList(0, 2 * FEED_PAGE));
    assertFalse(Boolean.parseBoolean(browser.driver.findElement(By.id("activity-older")).getAttribute("aria-busy")));
    browser.driver.findElement(By.id("activity-older")).click();
    awaitFeed(everything);
    browser.await().until(d -> !d.findElement(By.id("activity-older")).isDisplayed());

    new Select(browser.driver.findElement(By.id("activity-type"))).selectByValue("task:assigned");
    awaitFeed(ofTasks.subList(0, FEED_PAGE));
    browser.driver.findElement(By.id("activity-older")).click();
    awaitFeed(ofTasks.subList(0, 2 * FEED_PAGE));
    browser.driver.findElement(By.id("activity-older")).click();
    awaitFeed(ofTasks);
    browser.await().until(d -> !d.findElement(By.id("activity-older")).isDisplayed());
    assertTrue(browser.driver.findElements(By.cssSelector("#activity-list li[data-id]")).stream()
      .allMatch(li -> "task:assigned".equals(li.getAttribute("data-type"))), "only tasks while the filter is on");
    new Select(browser.driver.findElement(By.id("activity-type"))).selectByValue("schedule:created");
    awaitFeed(feed(student, "schedule:created"));
    assertFalse(browser.driver.findElement(By.id("activity-older")).isDisplayed(), "one page: nothing older");
    browser.screenshot("feed-paged-filtered");

    browser.driver.findElement(By.id("bell")).click();
    new Select(browser.driver.findElement(By.id("notif-type"))).selectByValue("task:assigned");
    awaitInbox(INBOX_PAGE);
    browser.driver.findElement(By.id("notif-more")).click();
    awaitInbox(2 * INBOX_PAGE);
    List<String> ids = browser.driver.findElements(By.cssSelector("#notif-list li[data-id]")).stream()
      .map(li -> li.getAttribute("data-id")).toList();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "no notification twice: " + ids);
    assertTrue(browser.driver.findElements(By.cssSelector("#notif-list .notif-title")).stream()
      .allMatch(t -> t.getText().startsWith("New task")), "only tasks while the filter is on");
    new Select(browser.driver.findElement(By.id("notif-type"))).selectByValue("schedule:created");
    awaitInbox(3);
    assertFalse(browser.driver.findElement(By.id("notif-more")).isDisplayed(), "one page: nothing more");
  }

  @Test
  @DisplayName("cancelling a session asks first: dismissing the question leaves the session as it was, accepting cancels it")
  void cancellingASessionAsksFirst() throws IOException {
    School.Member mentor = school.create("mentor-cancel-" + tag() + "@school.test", "Mentor Cancel", "mentor");
    School.Member student = school.newStudentOf(mentor);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.HOURS);
    String title = "Keep or cancel " + tag();
    Api.Response made = api.post("/api/schedules", mentor.token(), new JsonObject().put("studentId", student.id())
      .put("title", title).put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, made.status(), made::toString);
    long id = made.json().getLong("id");
    String cancel = "#sessions-list li[data-id='" + id + "'] button[data-status=cancelled]";

    browser.signIn(portal.node().url(), mentor.email(), School.PASSWORD);
    browser.driver.executeScript("window.confirm = question => { window.__asked = question; return false; };");
    browser.await().until(d -> d.findElement(By.cssSelector(cancel))).click();
    assertTrue(String.valueOf(browser.driver.executeScript("return window.__asked;")).contains(title), "it asked, naming the session");
    assertEquals("scheduled", status(mentor, id), "a dismissed question cancels nothing");
    assertEquals(0, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule' AND entity_id = "
      + id + " AND action = 'status'"), "no change was even asked for");
    WebElement button = browser.driver.findElement(By.cssSelector(cancel));
    assertTrue(button.isEnabled() && button.getAttribute("aria-busy") == null, "the button is as it was");

    browser.driver.executeScript("window.confirm = () => true;");
    browser.driver.findElement(By.cssSelector(cancel)).click();
    browser.await().until(d -> "cancelled".equals(status(mentor, id)));
    browser.await().until(d -> !d.findElements(By.cssSelector("#sessions-past li[data-id='" + id + "'] .chip-cancelled")).isEmpty());
    browser.screenshot("session-cancelled-after-confirmation");
  }

  @Test
  @DisplayName("with a slow API, mark read, mark attendance, task progress, the roll, review, comment and reply show a busy control at once, stay busy while the request waits and come back after it, also after a failure")
  void slowActionsSayTheyAreWaiting() throws IOException {
    String t = tag();
    School.Member mentor = school.create("mentor-slow-" + t + "@school.test", "Mentor Slow", "mentor");
    School.Member student = school.newStudentOf(mentor);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10).truncatedTo(ChronoUnit.MINUTES);
    Api.Response s = api.post("/api/schedules", mentor.token(), new JsonObject().put("studentId", student.id())
      .put("title", "Slow session " + t).put("startTime", start.toString()).put("endTime", start.plusHours(2).toString()));
    assertEquals(201, s.status(), s::toString);
    long session = s.json().getLong("id");
    Api.Response task = api.post("/api/tasks", mentor.token(), new JsonObject().put("studentId", student.id())
      .put("title", "Slow task " + t));
    assertEquals(201, task.status(), task::toString);
    long taskId = task.json().getLong("id");
    Api.Response entry = api.post("/api/entries", student.token(), new JsonObject().put("title", "Slow entry " + t)
      .put("content", "What I learnt"));
    assertEquals(201, entry.status(), entry::toString);
    long entryId = entry.json().getLong("id");
    assertEquals(200, api.patch("/api/entries/" + entryId + "/status", student.token(),
      new JsonObject().put("status", "submitted")).status());
    portal.database().awaitCount("SELECT count(*) FROM notifications WHERE user_id = " + student.id(), 2);
    String row = "#sessions-list li[data-id='" + session + "'] ";

    String studentTab = browser.signInTab(portal.node().url(), student.email(), School.PASSWORD);
    browser.driver.findElement(By.id("bell")).click();
    browser.await().until(d -> !d.findElements(By.cssSelector("#notif-list li.unread .notif-actions .btn")).isEmpty());
    String firstUnread = browser.driver.findElement(By.cssSelector("#notif-list li.unread")).getAttribute("data-id");
    slowly("Mark read", "#notif-list li[data-id='" + firstUnread + "'] .notif-actions .btn", "#notif-list",
      "#notif-list li[data-id='" + firstUnread + "']:not(.unread)");
    browser.driver.findElement(By.id("bell")).click();

    slowly("I attended", row + "button[data-mark=attended]", row, row + ".attendance[data-attendance=attended]");
    slowly("task progress", "#task-status-" + taskId, "#tasks-list li[data-id='" + taskId + "']",
      "#tasks-list li[data-id='" + taskId + "'][data-status=in_progress]");

    // a failure puts the control back too (and says why)
    offline(true);
    assertBusyAtOnce(row + "button[data-mark=absent]", "I missed it (offline)");
    browser.await().until(d -> !d.findElements(By.cssSelector("#toasts .toast-error")).isEmpty());
    assertNotBusy(row + "button[data-mark=absent]", row);
    offline(false);
    assertEquals(1, portal.database().count("SELECT count(*) FROM schedule_attendees WHERE schedule_id = " + session
      + " AND attendance = 'attended'"), "nothing was changed by the failed request");

    String mentorTab = browser.signInNewTab(portal.node().url(), mentor.email(), School.PASSWORD);
    browser.await().until(d -> d.findElement(By.cssSelector(row + ".roll-toggle"))).click();
    String mark = "#roll-" + session + " li[data-student='" + student.id() + "'] button[data-mark=absent]";
    browser.await().until(d -> d.findElement(By.cssSelector(mark)));
    slowly("the roll's Missed", mark, "#roll-" + session, "#roll-" + session + " li[data-attendance=absent]");

    browser.await().until(d -> {
      d.findElement(By.cssSelector("#entries-list li[data-id='" + entryId + "'] .item-link")).click();
      return true;
    });
    browser.await().until(d -> d.findElement(By.id("comment-body"))).sendKeys("Where does the callback run?");
    slowly("Comment", "#comment-form button[type=submit]", "#comment-form", "#entry-comments li.comment");
    slowly("Start review", "#entry-detail button[data-status=in_review]", "#entry-detail", "#entry-detail .chip-in_review");

    browser.switchTo(studentTab);
    browser.await().until(d -> {
      d.findElement(By.cssSelector("#entries-list li[data-id='" + entryId + "'] .item-link")).click();
      return true;
    });
    String reply = "#entry-comments .reply-form ";
    browser.await().until(d -> d.findElement(By.cssSelector(reply + "textarea"))).sendKeys("On the event loop.");
    slowly("Reply", reply + "button", "#entry-comments", "#entry-comments .replies li.reply");
    browser.screenshot("busy-states-student");
    browser.switchTo(mentorTab);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Triggers {@code control} with the API slowed down: busy at once (disabled, aria-busy); while the request waits
   * it stays busy, also where a live event has redrawn its row (the event reaches the page before the slowed
   * answer) — a control that went away in that redraw must have gone because the row shows the outcome; after the
   * answer the outcome shows and nothing in {@code scope} is busy or disabled any more.
   */
  private void slowly(String what, String control, String scope, String outcome) {
    slow(true);
    assertBusyAtOnce(control, what);
    @SuppressWarnings("unchecked")
    Map<String, Object> meanwhile = (Map<String, Object>) browser.driver.executeAsyncScript("""
      const [control, outcome, until, reply] = arguments;
      const started = performance.now();
      (function look() {
        const shown = !!document.querySelector(outcome);
        if (!shown && performance.now() - started < until) return setTimeout(look, 10);
        const controls = [...document.querySelectorAll(control)];
        reply({ shown, controls: controls.length, busy: controls.filter(e => e.disabled && e.getAttribute('aria-busy') === 'true').length });
      })();""", control, outcome, SLOW_MS / 2);
    long controls = ((Number) meanwhile.get("controls")).longValue();
    assertEquals(controls, ((Number) meanwhile.get("busy")).longValue(), what + " stays busy while the request waits: " + meanwhile);
    assertTrue(controls > 0 || Boolean.TRUE.equals(meanwhile.get("shown")), what + " went away before its outcome showed: " + meanwhile);
    slow(false);
    browser.await().withMessage(() -> what + " never finished").until(d -> !d.findElements(By.cssSelector(outcome)).isEmpty());
    assertNotBusy(control, scope);
  }

  /** Clicks (or, for a select, moves to its next step) in the page itself and reads the control right after. */
  private void assertBusyAtOnce(String control, String what) {
    Object state = browser.driver.executeScript("""
      const e = document.querySelector(arguments[0]);
      if (e.tagName === 'SELECT') {
        e.value = [...e.options].find(o => !o.selected).value;
        e.dispatchEvent(new Event('change', {bubbles: true}));
      } else {
        e.click();
      }
      return [e.disabled, e.getAttribute('aria-busy')];""", control);
    assertEquals(List.of(true, "true"), state, what + " is disabled and aria-busy at once");
  }

  /** No control in {@code scope} is busy any more, and {@code control}, where it is still drawn, can be used again. */
  private void assertNotBusy(String control, String scope) {
    browser.await().withMessage(() -> scope + " still busy").until(d -> d.findElements(By.cssSelector(scope + " [aria-busy], "
      + scope + "[aria-busy]")).isEmpty() && d.findElements(By.cssSelector(control)).stream().allMatch(WebElement::isEnabled));
  }

  private void slow(boolean slow) {
    browser.driver.executeCdpCommand("Network.enable", Map.of());
    browser.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false,
      "latency", slow ? SLOW_MS : 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  private void offline(boolean offline) {
    browser.driver.executeCdpCommand("Network.enable", Map.of());
    browser.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline,
      "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  /** The feed's ids, newest first, as the API gives them to {@code who} (one kind, or all). */
  private static List<Long> feed(School.Member who, String type) {
    JsonArray items = api.get("/api/activity?limit=200" + (type == null ? "" : "&type=" + type), who.token()).items();
    return items.stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  /** The feed shows exactly these ids, in this order (so: no duplicates, nothing skipped). */
  private void awaitFeed(List<Long> ids) {
    browser.await().withMessage(() -> "the feed never showed " + ids.size() + " items in order, it shows "
        + shownFeed().size())
      .until(d -> shownFeed().equals(ids));
  }

  private List<Long> shownFeed() {
    return browser.driver.findElements(By.cssSelector("#activity-list li[data-id]")).stream()
      .map(li -> Long.parseLong(li.getAttribute("data-id"))).toList();
  }

  private void awaitInbox(int count) {
    browser.await().until(d -> d.findElements(By.cssSelector("#notif-list li[data-id]")).size() == count);
  }

  private static String status(School.Member who, long id) {
    return api.get("/api/schedules/" + id, who.token()).json().getString("status");
  }


  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}
