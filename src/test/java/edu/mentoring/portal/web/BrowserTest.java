package edu.mentoring.portal.web;

import edu.mentoring.portal.events.Outbox;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives the real UI in Debian's headless Chromium through its own ChromeDriver (nothing is downloaded): the page
 * is served by the portal, talks to the API over HTTP and to the SockJS bridge with the official client.
 */
@DisplayName("Browser UI (headless Chromium)")
class BrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration LIVE = Duration.ofSeconds(5);
  private static final Path SCREENSHOTS = Path.of("target", "browser");

  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private ChromeDriver driver;
  private Path profile;

  @BeforeAll
  static void start() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed) {
      String why = "Chromium and ChromeDriver are needed at " + CHROMIUM + " and " + CHROMEDRIVER
        + " (apt-get install -y chromium chromium-driver)";
      if (System.getenv("CI") != null) fail(why);
      Assumptions.assumeTrue(false, why + "; skipped outside CI");
    }
  }

  @BeforeEach
  void openBrowser() throws IOException {
    // a driver we name explicitly and a binary we name explicitly: Selenium Manager has nothing to resolve
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    profile = Files.createTempDirectory("portal-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      "--window-size=1366,960", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
      .usingAnyFreePort()
      .build();
    driver = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser(TestInfo info) throws IOException {
    if (driver == null) return;
    try {
      Files.createDirectories(SCREENSHOTS);
      byte[] png = driver.getScreenshotAs(OutputType.BYTES);
      Files.write(SCREENSHOTS.resolve(info.getTestMethod().orElseThrow().getName() + ".png"), png);
    } finally {
      driver.quit();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @DisplayName("a student sees a session their mentor just created appear live, the bell counts it, and marking read clears the count")
  void studentSeesSessionLiveAndClearsTheBell() {
    School.Member student = school.studentA;
    signInStudent(student);
    // a marker that a page reload would wipe out
    js().executeScript("window.__sameDocument = true;");
    long unreadBefore = unread(student.id());

    String title = "Career planning " + UUID.randomUUID().toString().substring(0, 6);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(2)).plusDays(2).truncatedTo(ChronoUnit.HOURS);
    Api.Response created = api.post("/api/schedules", school.mentorA.token(), session(student, title, start));
    assertEquals(201, created.status(), created::toString);
    long scheduleId = created.json().getLong("id");

    WebElement row = new WebDriverWait(driver, LIVE).ignoring(StaleElementReferenceException.class).until(ExpectedConditions.visibilityOfElementLocated(
      By.cssSelector("#sessions-list li[data-id='" + scheduleId + "']")));
    assertTrue(row.getText().contains(title), row::getText);
    assertEquals(Boolean.TRUE, js().executeScript("return window.__sameDocument === true;"), "the page reloaded");

    // the bell shows the server's count, which the new session raised
    long unreadAfter = unread(student.id());
    assertTrue(unreadAfter > unreadBefore, "the session created no notification");
    awaitBell(unreadAfter);

    driver.findElement(By.id("bell")).click();
    WebElement panel = await().until(ExpectedConditions.visibilityOfElementLocated(By.id("notif-panel")));
    await().until(d -> panel.getText().contains("New session: " + title));
    driver.findElement(By.id("notif-read-all")).click();
    awaitBell(0);
    await().until(ExpectedConditions.invisibilityOfElementLocated(By.id("bell-count")));

    Api.Response notifications = api.get("/api/notifications", student.token());
    assertEquals(200, notifications.status(), notifications::toString);
    assertEquals(0, notifications.json().getInteger("unreadCount"));
    assertEquals(0, unread(student.id()));
  }

  @Test
  @DisplayName("a mentor schedules a session with the form and it appears in their list")
  void mentorSchedulesWithTheForm() {
    signIn(school.mentorA.email());
    awaitRooms("mentor:" + school.mentorA.id());
    String title = "Code review " + UUID.randomUUID().toString().substring(0, 6);
    LocalDateTime start = LocalDateTime.now().plusDays(3).withHour(14).truncatedTo(ChronoUnit.HOURS);
    DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    driver.findElement(By.cssSelector("#session-composer > summary")).click();
    WebElement titleInput = await().until(ExpectedConditions.visibilityOfElementLocated(By.id("session-title")));
    titleInput.sendKeys(title);
    await().until(d -> !new Select(d.findElement(By.id("session-audience")))
      .getOptions().stream().filter(o -> o.getAttribute("value").equals("student:" + school.cohortStudent.id())).toList().isEmpty());
    new Select(driver.findElement(By.id("session-audience"))).selectByValue("student:" + school.cohortStudent.id());
    // datetime-local typing is locale-dependent in Chromium; set the values the way a picker would
    setValue(driver.findElement(By.id("session-start")), start.format(local));
    setValue(driver.findElement(By.id("session-end")), start.plusMinutes(45).format(local));
    driver.findElement(By.id("session-focus")).sendKeys("Testing");
    driver.findElement(By.id("session-submit")).click();

    WebElement row = await().until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
      "//ul[@id='sessions-list']/li[.//span[@class='session-title' and text()='" + title + "']]")));
    assertTrue(row.getText().contains("Cohort Student"), row::getText);

    JsonObject saved = api.get("/api/schedules", school.mentorA.token()).items().stream()
      .map(JsonObject.class::cast).filter(s -> title.equals(s.getString("title"))).findFirst()
      .orElseThrow(() -> new AssertionError("the session was not saved"));
    assertEquals(school.cohortStudent.id(), saved.getLong("studentId"));
    // the browser sent its own offset: the instant is the local time the mentor picked
    assertEquals(start.atZone(java.time.ZoneId.systemDefault()).toInstant(),
      OffsetDateTime.parse(saved.getString("startTime")).toInstant());
    assertEquals(45, Duration.between(OffsetDateTime.parse(saved.getString("startTime")),
      OffsetDateTime.parse(saved.getString("endTime"))).toMinutes());
  }

  @Test
  @DisplayName("a student who was offline sees the session created meanwhile after reconnecting, and the bell shows the server's count")
  void recoversWhatHappenedWhileOffline() {
    School.Member student = school.cohortStudent;
    trackSockets();
    signInStudent(student);
    long lastEvent = lastEventId(student.token());

    goOffline();

    String title = "While you were away " + UUID.randomUUID().toString().substring(0, 6);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(5).truncatedTo(ChronoUnit.HOURS);
    Api.Response created = api.post("/api/schedules", school.mentorA.token(), session(student, title, start));
    assertEquals(201, created.status(), created::toString);
    // the event is stamped and pushed (to nobody) before the browser comes back
    await().until(d -> lastEventId(student.token()) > lastEvent);

    network(true);
    new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
      .until(d -> d.findElement(By.id("sessions-list")).getText().contains(title));
    awaitBell(unread(student.id()));
    assertTrue(driver.findElement(By.id("activity-list")).getText().contains(title));
  }

  @Test
  @DisplayName("a student offline while their mentor takes the roll of a group session sees their own mark after reconnecting")
  void recoversTheirMarkInTheRoll() {
    School.Member student = school.cohortStudent;
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30).truncatedTo(ChronoUnit.MINUTES);
    Api.Response made = api.post("/api/schedules", school.mentorA.token(), new JsonObject().put("isGroupSession", true)
      .put("cohortId", school.cohortId).put("title", "Roll while away " + UUID.randomUUID().toString().substring(0, 6))
      .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, made.status(), made::toString);
    long id = made.json().getLong("id");
    By mine = By.cssSelector("#sessions-list li[data-id='" + id + "'] .attendance");
    trackSockets();
    signInStudent(student);
    await().until(d -> "pending".equals(d.findElement(mine).getAttribute("data-attendance")));

    goOffline();
    Api.Response marked = api.put("/api/schedules/" + id + "/attendance", school.mentorA.token(),
      new JsonObject().put("studentId", student.id()).put("attendance", "absent"));
    assertEquals(200, marked.status(), marked::toString);
    await().until(d -> portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + student.id()
      + " AND title LIKE 'Attendance: Roll while away%'") == 1);

    network(true);
    new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
      .until(d -> "absent".equals(d.findElement(mine).getAttribute("data-attendance")));
    assertTrue(driver.findElement(mine).getText().contains("You missed it"), driver.findElement(mine)::getText);
  }

  @Test
  @DisplayName("events committed while the browser is offline, some on a node that never told the sequencer, are all recovered after a reconnect")
  void recoversEventsWithoutAMargin() {
    School.Member student = school.studentA;
    trackSockets();
    signInStudent(student);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(9).truncatedTo(ChronoUnit.HOURS);
    String live = "Seen live " + UUID.randomUUID().toString().substring(0, 6);
    Api.Response r = api.post("/api/schedules", school.mentorA.token(), session(student, live, start));
    assertEquals(201, r.status(), r::toString);
    await().until(d -> d.findElement(By.id("sessions-list")).getText().contains(live));

    goOffline();
    String quiet = "Never signalled " + UUID.randomUUID().toString().substring(0, 6);
    String later = "Committed later " + UUID.randomUUID().toString().substring(0, 6);
    // another node commits one and never tells the sequencer (its sweep numbers it), this node the next one
    try (TestPortal silent = TestPortal.startOn(portal.database(), Map.of(),
      new JsonObject().put(Outbox.CONFIG_SIGNAL, false))) {
      r = silent.api().post("/api/schedules", school.mentorA.token(), session(student, quiet, start.plusHours(2)));
      assertEquals(201, r.status(), r::toString);
    }
    r = api.post("/api/schedules", school.mentorA.token(), session(student, later, start.plusHours(4)));
    assertEquals(201, r.status(), r::toString);
    await().until(d -> portal.database().count("SELECT count(*) FROM activity_feed WHERE id IS NULL") == 0);
    network(true);
    new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
      .until(d -> d.findElement(By.id("sessions-list")).getText().contains(quiet)
        && d.findElement(By.id("sessions-list")).getText().contains(later));
  }

  // ------------------------------------------------------------------ helpers

  @Test
  @DisplayName("a student put into a cohort while signed in shows the cohort, joins its room and sees its next group session live")
  void studentJoinsACohortLive() {
    School.Member student = school.register("joining-" + UUID.randomUUID().toString().substring(0, 6) + "@school.test",
      "Joining Student", null);
    signInStudent(student);
    js().executeScript("window.__sameDocument = true;");
    assertFalse(driver.findElement(By.id("cohort-chip")).isDisplayed(), "no cohort yet");
    int inCohortRoom = portal.node().rooms().roomMembers("cohort:" + school.cohortId);

    Api.Response moved = api.put("/api/students/" + student.id() + "/cohort", school.admin.token(),
      new JsonObject().put("cohortId", school.cohortId));
    assertEquals(200, moved.status(), moved::toString);
    await().until(d -> d.findElement(By.id("cohort-chip")).isDisplayed()
      && d.findElement(By.id("cohort-chip")).getText().startsWith("Cohort: "));
    await().until(d -> portal.node().rooms().roomMembers("cohort:" + school.cohortId) == inCohortRoom + 1);

    String title = "Cohort kickoff " + UUID.randomUUID().toString().substring(0, 6);
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(4).truncatedTo(ChronoUnit.HOURS);
    Api.Response created = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
      .put("isGroupSession", true).put("cohortId", school.cohortId).put("title", title)
      .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, created.status(), created::toString);
    WebElement row = new WebDriverWait(driver, LIVE).ignoring(StaleElementReferenceException.class)
      .until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#sessions-list li[data-id='" + created.json().getLong("id") + "']")));
    assertTrue(row.getText().contains(title), row::getText);
    assertEquals(Boolean.TRUE, js().executeScript("return window.__sameDocument === true;"), "the page reloaded");
  }

  @Test
  @DisplayName("a student whose token expires with the page open is signed out with a message, not left on a silent dashboard")
  void expiredTokenSignsOut() {
    String shortLived = portal.tokenExpiringIn(school.studentB.id(), "student", 4);
    driver.get(portal.node().url());
    js().executeScript("sessionStorage.setItem('portal.token', arguments[0]); location.reload();", shortLived);
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
    // the bridge takes the rooms back at expiry; the page then finds its token refused and says so
    WebElement notice = new WebDriverWait(driver, Duration.ofSeconds(4 + 5)).until(
      ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#auth-view .notice")));
    assertTrue(notice.getText().contains("expired"), notice::getText);
    assertNull(js().executeScript("return sessionStorage.getItem('portal.token');"), "the token is forgotten");
  }

  @Test
  @DisplayName("an admin gives a student a mentor, creates a cohort and puts the student in it, all from the People panel")
  void adminManagesPeople() {
    School.Member student = school.register("placed-" + UUID.randomUUID().toString().substring(0, 6) + "@school.test",
      "Placed Student", null);
    signIn(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    String row = "#people-list li[data-id='" + student.id() + "'] ";
    await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(row + "select[name=mentor]")));

    new Select(driver.findElement(By.cssSelector(row + "select[name=mentor]")))
      .selectByValue(Long.toString(school.mentorB.id()));
    await().until(d -> portal.database().count("SELECT count(*) FROM users WHERE id = " + student.id()
      + " AND mentor_id = " + school.mentorB.id()) == 1);

    String cohortName = "Cohort from the panel " + UUID.randomUUID().toString().substring(0, 6);
    driver.findElement(By.cssSelector("#cohort-composer > summary")).click();
    setValue(driver.findElement(By.id("cohort-name")), cohortName);
    driver.findElement(By.cssSelector("#cohort-mentors input[value='" + school.mentorA.id() + "']")).click();
    driver.findElement(By.id("cohort-submit")).click();
    await().until(d -> portal.database().count("SELECT count(*) FROM cohorts WHERE name = '" + cohortName + "'") == 1);
    long cohortId = portal.database().count("SELECT id FROM cohorts WHERE name = '" + cohortName + "'");
    assertEquals(1, portal.database().count("SELECT count(*) FROM cohort_mentors WHERE cohort_id = " + cohortId
      + " AND mentor_id = " + school.mentorA.id()));

    By cohortOption = By.cssSelector(row + "select[name=cohort] option[value='" + cohortId + "']");
    await().until(ExpectedConditions.presenceOfElementLocated(cohortOption));
    new WebDriverWait(driver, LIVE).ignoring(StaleElementReferenceException.class).until(d -> {
      new Select(d.findElement(By.cssSelector(row + "select[name=cohort]"))).selectByValue(Long.toString(cohortId));
      return true;
    });
    await().until(d -> portal.database().count("SELECT count(*) FROM users WHERE id = " + student.id()
      + " AND cohort_id = " + cohortId) == 1);
    await().until(d -> Long.toString(cohortId).equals(
      d.findElement(By.cssSelector(row + "select[name=cohort]")).getAttribute("value")));

    // the filter narrows the list to who matches
    setValue(driver.findElement(By.id("people-filter")), student.email());
    await().until(d -> d.findElements(By.cssSelector("#people-list li[data-id]")).size() == 1);
    assertEquals(Long.toString(student.id()),
      driver.findElement(By.cssSelector("#people-list li[data-id]")).getAttribute("data-id"));
  }

  @Test
  @DisplayName("an admin schedules a session and assigns a task on a mentor's behalf, choosing among that mentor's students only")
  void adminActsForAMentor() {
    signIn(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    String title = "Term review " + UUID.randomUUID().toString().substring(0, 6);
    LocalDateTime start = LocalDateTime.now().plusDays(5).withHour(10).truncatedTo(ChronoUnit.HOURS);
    DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    driver.findElement(By.cssSelector("#session-composer > summary")).click();
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("session-title"))).sendKeys(title);
    new Select(driver.findElement(By.id("session-mentor"))).selectByValue(Long.toString(school.mentorB.id()));
    List<String> offered = new Select(driver.findElement(By.id("session-audience"))).getOptions().stream()
      .map(o -> o.getAttribute("value")).filter(v -> !v.isEmpty()).toList();
    assertTrue(offered.contains("student:" + school.studentB.id()), offered::toString);
    for (String value : offered) {
      long id = Long.parseLong(value.substring(value.indexOf(':') + 1));
      assertTrue(value.startsWith("student:") && portal.database().count("SELECT count(*) FROM users WHERE id = " + id
        + " AND mentor_id = " + school.mentorB.id()) == 1, "only mentor B's students, and no cohort of A: " + offered);
    }
    new Select(driver.findElement(By.id("session-audience"))).selectByValue("student:" + school.studentB.id());
    setValue(driver.findElement(By.id("session-start")), start.format(local));
    setValue(driver.findElement(By.id("session-end")), start.plusHours(1).format(local));
    driver.findElement(By.id("session-submit")).click();
    await().until(d -> portal.database().count("SELECT count(*) FROM schedules WHERE title = '" + title
      + "' AND mentor_id = " + school.mentorB.id() + " AND student_id = " + school.studentB.id()) == 1);

    String task = "Read the handbook " + UUID.randomUUID().toString().substring(0, 6);
    driver.findElement(By.cssSelector("#tasks-panel .composer > summary")).click();
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("task-title"))).sendKeys(task);
    new Select(driver.findElement(By.id("task-mentor"))).selectByValue(Long.toString(school.mentorA.id()));
    new Select(driver.findElement(By.id("task-audience"))).selectByValue("cohort:" + school.cohortId);
    driver.findElement(By.cssSelector("#task-form button[type=submit]")).click();
    await().until(d -> portal.database().count("SELECT count(*) FROM tasks WHERE title = '" + task
      + "' AND mentor_id = " + school.mentorA.id() + " AND cohort_id = " + school.cohortId) == 1);
  }

  private static JsonObject session(School.Member student, String title, OffsetDateTime start) {
    return new JsonObject().put("studentId", student.id()).put("title", title)
      .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString());
  }

  /** Keeps a handle on the page's WebSockets (before it loads) so a test can cut the live connection. */
  private void trackSockets() {
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
      window.__sockets = [];
      const Native = window.WebSocket;
      window.WebSocket = function (url, protocols) {
        const socket = protocols ? new Native(url, protocols) : new Native(url);
        window.__sockets.push(socket);
        return socket;
      };
      window.WebSocket.prototype = Native.prototype;
      Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});"""));
  }

  /** The network down and the live sockets closed, until the page shows it is offline. */
  private void goOffline() {
    driver.executeCdpCommand("Network.enable", Map.of());
    network(false);
    js().executeScript("window.__sockets.forEach(s => s.close());");
    await().until(d -> "offline".equals(d.findElement(By.id("connection")).getAttribute("data-status")));
  }

  @Test
  @DisplayName("an invitation link opens Register with the code filled in; signing up places the student in the invitation's cohort")
  void invitationLinkSignsUpIntoTheCohort() {
    String code = school.invite(school.cohortId, 1);
    driver.get(portal.node().url() + "?invitation=" + code);
    WebElement field = await().until(ExpectedConditions.visibilityOfElementLocated(By.id("register-invitation")));
    assertEquals(code, field.getAttribute("value"));
    String email = "invited-" + UUID.randomUUID().toString().substring(0, 6) + "@school.test";
    driver.findElement(By.id("register-name")).sendKeys("Invited Student");
    driver.findElement(By.id("register-email")).sendKeys(email);
    driver.findElement(By.id("register-password")).sendKeys(School.PASSWORD);
    driver.findElement(By.id("register-submit")).click();
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
    await().until(d -> d.findElement(By.id("cohort-chip")).isDisplayed()
      && d.findElement(By.id("cohort-chip")).getText().startsWith("Cohort: "));
    assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE email = '" + email + "' AND cohort_id = "
      + school.cohortId));
  }

  @Test
  @DisplayName("the API reference page renders under the Content-Security-Policy (its script is a file, not inline)")
  void apiPageRendersUnderTheCsp() {
    driver.get(portal.node().url() + "api.html");
    WebElement heading = await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#api h2")));
    assertFalse(heading.getText().isBlank());
    assertFalse(driver.findElement(By.id("api")).getText().startsWith("Loading"), "the script did not run");
  }

  private void signIn(String email) {
    signIn(email, School.PASSWORD);
  }

  /** Signs a student in and waits until their page has joined their own rooms. */
  private void signInStudent(School.Member student) {
    signIn(student.email());
    awaitRooms("user:" + student.id(), "student:" + student.id());
  }

  private void signIn(String email, String password) {
    driver.get(portal.node().url());
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-email"))).sendKeys(email);
    driver.findElement(By.id("login-password")).sendKeys(password);
    driver.findElement(By.id("login-submit")).click();
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
    await().until(d -> "online".equals(d.findElement(By.id("connection")).getAttribute("data-status")));
  }

  /** Waits until the bridge has the browser's socket in these rooms (registration is asynchronous). */
  private void awaitRooms(String... rooms) {
    await().until(d -> Stream.of(rooms).allMatch(r -> portal.node().rooms().roomMembers(r) > 0));
  }

  private void awaitBell(long count) {
    await().until(d -> String.valueOf(count).equals(d.findElement(By.id("bell")).getAttribute("data-count")));
    if (count > 0) {
      WebElement badge = driver.findElement(By.id("bell-count"));
      assertTrue(badge.isDisplayed(), "the badge is hidden");
      assertEquals(String.valueOf(count), badge.getText());
    }
  }

  private static long unread(long userId) {
    return portal.database().count("SELECT count(*) FROM notifications WHERE read_at IS NULL AND user_id = " + userId);
  }

  private void network(boolean online) {
    driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", !online, "latency", 0,
      "downloadThroughput", -1, "uploadThroughput", -1));
  }

  private static long lastEventId(String token) {
    JsonArray items = api.get("/api/activity?limit=1", token).items();
    return items.isEmpty() ? 0 : items.getJsonObject(0).getLong("id");
  }

  private void setValue(WebElement input, String value) {
    js().executeScript("arguments[0].value = arguments[1];"
      + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
      + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, value);
  }

  private WebDriverWait await() {
    // views re-render on every event: an element read between two renders is simply read again
    return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class);
  }

  private JavascriptExecutor js() {
    return driver;
  }
}
