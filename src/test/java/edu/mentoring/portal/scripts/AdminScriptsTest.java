package edu.mentoring.portal.scripts;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the admin scripts in scripts/ as child processes (bash, curl) against a portal in this JVM. */
@DisplayName("Admin scripts: sign in, create users and cohorts, import students, read the audit trail")
class AdminScriptsTest {
  private static final Path SCRIPTS = Path.of("scripts").toAbsolutePath();

  private static TestPortal portal;
  private static Api api;
  private static Path home;
  private static Path tokenFile;

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeAll
  static void start() {
    portal = TestPortal.start();
    api = portal.api();
    home = TestPortal.tempDir();
    tokenFile = home.resolve("token");
    Run login = run(tokenFile, "", "portal-login", TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    assertEquals(0, login.exit(), login::toString);
  }

  @AfterAll
  static void stop() {
    portal.close();
  }

  private static Run run(String script, String... args) {
    return run(tokenFile, "", script, args);
  }

  /** Runs scripts/SCRIPT with bash, a private HOME and token file, and STDIN as its input. */
  private static Run run(Path tokens, String stdin, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = pb.environment();
    env.remove("PORTAL_TOKEN");
    env.remove("PORTAL_PASSWORD");
    env.put("HOME", home.toString());
    env.put("PORTAL_URL", "http://127.0.0.1:" + portal.port());
    env.put("PORTAL_TOKEN_FILE", tokens.toString());
    try {
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(script + " did not finish within 60 s");
      }
      return new Run(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String adminToken() {
    return api.login(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
  }

  private static long createMentor(String email) {
    Run r = run("portal-create-user", "--role", "mentor", "--email", email, "--name", "Mentor " + email,
      "--password", "mentor-pass-1", "--id");
    assertEquals(0, r.exit(), r::toString);
    return Long.parseLong(r.out().trim());
  }

  private static long createCohort(String name, long mentorId) {
    Run r = run("portal-create-cohort", "--name", name, "--mentor", String.valueOf(mentorId), "--id");
    assertEquals(0, r.exit(), r::toString);
    return Long.parseLong(r.out().trim());
  }

  @Test
  @DisplayName("portal-login signs the admin in and keeps a working token in a file only the owner can read")
  void login() throws IOException {
    Path file = home.resolve("login-" + tag());
    Run r = run(file, "", "portal-login", TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("Signed in as") && r.out().contains("(admin)"), r::toString);
    String token = Files.readString(file).trim();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    Api.Response me = api.get("/api/auth/me", token);
    assertEquals(200, me.status());
    assertEquals("admin", me.json().getString("role"));
  }

  @Test
  @DisplayName("portal-login reads the password from stdin when it is not given and stdin is no terminal")
  void loginPasswordFromStdin() {
    Path file = home.resolve("stdin-" + tag());
    Run r = run(file, TestPortal.ADMIN_PASSWORD + "\n", "portal-login", TestPortal.ADMIN_EMAIL);
    assertEquals(0, r.exit(), r::toString);
    assertTrue(Files.exists(file));
  }

  @Test
  @DisplayName("a wrong password exits non-zero with the portal's message and keeps no token")
  void wrongPassword() {
    Path file = home.resolve("wrong-" + tag());
    Run r = run(file, "", "portal-login", TestPortal.ADMIN_EMAIL, "not-the-password");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().contains("wrong email or password"), r::toString);
    assertTrue(r.err().contains("401"), r::toString);
    assertFalse(Files.exists(file));
  }

  @Test
  @DisplayName("every script answers --help with its usage and exit status 0")
  void help() {
    for (String script : List.of("portal-login", "portal-create-user", "portal-create-cohort",
      "portal-assign-student", "portal-import-students", "portal-audit-logs", "portal-users", "portal-cohorts")) {
      Run r = run(script, "--help");
      assertEquals(0, r.exit(), () -> script + ": " + r);
      assertTrue(r.out().contains("Usage: scripts/" + script), () -> script + ": " + r);
      assertTrue(r.err().isEmpty(), () -> script + ": " + r);
    }
  }

  @Test
  @DisplayName("a usage mistake exits 2 and names the problem on stderr")
  void usageMistake() {
    Run r = run("portal-create-user", "--role", "teacher", "--email", "x@school.test", "--name", "X");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("--role must be mentor, admin or student"), r::toString);
  }

  @Test
  @DisplayName("portal-create-user creates a mentor who can sign in; without --password one is generated and printed")
  void createMentor() {
    String email = "mentor-" + tag() + "@school.test";
    Run r = run("portal-create-user", "--role", "mentor", "--email", email, "--name", "Ms. O'Brien \"Jo\"");
    assertEquals(0, r.exit(), r::toString);
    Matcher created = Pattern.compile("created mentor (\\d+): ").matcher(r.out());
    assertTrue(created.find(), r::toString);
    Matcher password = Pattern.compile("password: (\\S+)").matcher(r.out());
    assertTrue(password.find(), r::toString);

    String token = api.login(email, password.group(1));
    JsonObject me = api.get("/api/auth/me", token).json();
    assertEquals(Long.parseLong(created.group(1)), me.getLong("id"));
    assertEquals("mentor", me.getString("role"));
    assertEquals("Ms. O'Brien \"Jo\"", me.getString("name"));
  }

  @Test
  @DisplayName("an HTTP error prints the contract's error message and exits 1")
  void httpErrorMessage() {
    String email = "twice-" + tag() + "@school.test";
    createMentor(email);
    Run again = run("portal-create-user", "--role", "mentor", "--email", email.toUpperCase(), "--name", "Again",
      "--password", "mentor-pass-1");
    assertEquals(1, again.exit(), again::toString);
    assertTrue(again.err().contains("an account with this email already exists"), again::toString);
    assertTrue(again.err().contains("409 conflict"), again::toString);

    Run invalid = run("portal-create-user", "--role", "mentor", "--email", "not-an-email", "--name", "X",
      "--password", "short");
    assertEquals(1, invalid.exit(), invalid::toString);
    assertTrue(invalid.err().contains("validation_failed"), invalid::toString);
    assertTrue(invalid.err().contains("email must be an email address"), invalid::toString);
  }

  @Test
  @DisplayName("portal-create-cohort creates a cohort mentored by the given mentors")
  void createCohort() {
    long m1 = createMentor("c1-" + tag() + "@school.test");
    long m2 = createMentor("c2-" + tag() + "@school.test");
    String name = "Cohort " + tag();
    Run r = run("portal-create-cohort", "--name", name, "--mentor", String.valueOf(m1), "--mentor", String.valueOf(m2));
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("created cohort "), r::toString);

    JsonObject cohort = api.get("/api/cohorts", adminToken()).items().stream().map(JsonObject.class::cast)
      .filter(c -> name.equals(c.getString("name"))).findFirst().orElseThrow();
    assertEquals(new JsonArray().add(Math.min(m1, m2)).add(Math.max(m1, m2)), cohort.getJsonArray("mentorIds"));

    Run notAMentor = run("portal-create-cohort", "--name", "Bad " + tag(), "--mentor", "999999");
    assertEquals(1, notAMentor.exit(), notAMentor::toString);
    assertTrue(notAMentor.err().contains("mentorIds must all be mentors"), notAMentor::toString);
  }

  @Test
  @DisplayName("portal-invite issues a cohort invitation whose code signs a student up into the cohort, and --revoke ends it")
  void invite() {
    String t = tag();
    long cohort = createCohort("Invite " + t, createMentor("inv-" + t + "@school.test"));
    Run r = run("portal-invite", "--cohort", String.valueOf(cohort), "--uses", "2", "--hours", "24");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("invitation ") && r.out().contains("(2 uses, expires "), r::toString);
    Run code = run("portal-invite", "--cohort", String.valueOf(cohort), "--code");
    assertEquals(0, code.exit(), code::toString);
    Api.Response joined = api.post("/api/auth/register", null, new JsonObject().put("email", "invited-" + t + "@school.test")
      .put("password", "password-123").put("name", "Invited").put("invitation", code.out().trim()));
    assertEquals(201, joined.status(), joined::toString);
    assertEquals(cohort, joined.json().getJsonObject("user").getLong("cohortId"));

    long id = new JsonObject(run("portal-invite", "--cohort", String.valueOf(cohort), "--json").out()).getLong("id");
    Run revoked = run("portal-invite", "--revoke", String.valueOf(id));
    assertEquals(0, revoked.exit(), revoked::toString);
    assertEquals(1, portal.database().count("SELECT count(*) FROM invitations WHERE revoked_at IS NOT NULL AND id = " + id));
    Run bad = run("portal-invite", "--cohort", "abc");
    assertEquals(2, bad.exit(), bad::toString);
  }

  @Test
  @DisplayName("portal-import-students creates the good lines in the cohort, reports the bad one and goes on")
  void importStudents() throws IOException {
    String t = tag();
    long mentor = createMentor("im-" + t + "@school.test");
    long cohort = createCohort("Import " + t, mentor);
    Path csv = home.resolve("students-" + t + ".csv");
    Files.writeString(csv, String.join("\r\n",
      "email,name,password",
      "ann-" + t + "@school.test,\"Lee, Ann\",ann-password-1",
      "not-an-email,Broken Line,whatever-pass",
      "",
      "bob-" + t + "@school.test,Bob Stone",
      ""));
    Run r = run("portal-import-students", csv.toString(), "--cohort", String.valueOf(cohort));
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.out().contains("line 2: created student"), r::toString);
    assertTrue(r.out().contains("line 5: created student"), r::toString);
    assertTrue(r.err().contains("line 3: failed not-an-email"), r::toString);
    assertTrue(r.err().contains("email must be an email address"), r::toString);
    assertTrue(r.out().contains("imported 2 student(s), 1 line(s) failed"), r::toString);

    assertEquals(2, portal.database().count("SELECT count(*) FROM users WHERE role = 'student' AND cohort_id = " + cohort));
    assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE name = 'Lee, Ann' AND cohort_id = " + cohort));
    assertEquals(0, portal.database().count("SELECT count(*) FROM users WHERE email = 'not-an-email'"));
    api.login("ann-" + t + "@school.test", "ann-password-1");

    Matcher generated = Pattern.compile("line 5: created student \\d+ \\S+, cohort \\d+, password: (\\S+)")
      .matcher(r.out());
    assertTrue(generated.find(), r::toString);
    String bobToken = api.login("bob-" + t + "@school.test", generated.group(1));
    assertEquals(cohort, api.get("/api/auth/me", bobToken).json().getLong("cohortId"));
  }

  @Test
  @DisplayName("portal-import-students without a header reads email,name[,password][,cohortId] in order")
  void importWithoutHeader() throws IOException {
    String t = tag();
    long cohort = createCohort("Plain " + t, createMentor("pl-" + t + "@school.test"));
    Path csv = home.resolve("plain-" + t + ".csv");
    Files.writeString(csv, "cy-" + t + "@school.test, Cy Young ,cy-password-1," + cohort + "\n"
      + "dee-" + t + "@school.test,\"Dee \"\"D\"\" Ray\"\n");
    Run r = run("portal-import-students", csv.toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE name = 'Cy Young' AND cohort_id = " + cohort));
    assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE name = 'Dee \"D\" Ray' AND cohort_id IS NULL"));
  }

  @Test
  @DisplayName("portal-assign-student assigns a mentor and a cohort, and 'none' removes the mentor")
  void assignStudent() {
    String t = tag();
    long mentor = createMentor("as-" + t + "@school.test");
    long cohort = createCohort("Assign " + t, mentor);
    Run student = run("portal-create-user", "--role", "student", "--email", "st-" + t + "@school.test",
      "--name", "Student " + t, "--password", "student-pass-1", "--id");
    assertEquals(0, student.exit(), student::toString);
    String id = student.out().trim();

    Run r = run("portal-assign-student", id, "--mentor", String.valueOf(mentor), "--cohort", String.valueOf(cohort));
    assertEquals(0, r.exit(), r::toString);
    assertEquals("student " + id + ": mentor " + mentor + ", cohort " + cohort, r.out().trim());
    assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE id = " + id
      + " AND mentor_id = " + mentor + " AND cohort_id = " + cohort));

    Run none = run("portal-assign-student", id, "--mentor", "none");
    assertEquals(0, none.exit(), none::toString);
    assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE id = " + id + " AND mentor_id IS NULL"));

    Run missing = run("portal-assign-student", "999999", "--mentor", String.valueOf(mentor));
    assertEquals(1, missing.exit(), missing::toString);
    assertTrue(missing.err().contains("student not found"), missing::toString);
  }

  @Test
  @DisplayName("portal-users and portal-cohorts list accounts and cohorts; portal-assign-student takes emails as well as ids")
  void listsAndEmails() {
    String t = tag();
    String mentorEmail = "list-" + t + "@school.test";
    long mentor = createMentor(mentorEmail);
    long cohort = createCohort("Listed " + t, mentor);
    Run student = run("portal-create-user", "--role", "student", "--email", "ls-" + t + "@school.test",
      "--name", "Listed " + t, "--password", "student-pass-1", "--id");
    assertEquals(0, student.exit(), student::toString);
    String id = student.out().trim();

    Run users = run("portal-users", "--find", t);
    assertEquals(0, users.exit(), users::toString);
    assertTrue(users.out().contains(id + "\tstudent\tactive\tls-" + t + "@school.test\tListed " + t), users::toString);
    assertTrue(users.out().contains(mentor + "\tmentor\tactive\t" + mentorEmail), users::toString);
    Run mentors = run("portal-users", "--find", t, "--role", "mentor");
    assertFalse(mentors.out().contains("\tstudent\t"), mentors::toString);
    Run cohorts = run("portal-cohorts");
    assertEquals(0, cohorts.exit(), cohorts::toString);
    assertTrue(cohorts.out().contains(cohort + "\tListed " + t + "\tmentors " + mentor), cohorts::toString);

    Run r = run("portal-assign-student", "LS-" + t + "@school.test", "--mentor", mentorEmail, "--cohort", String.valueOf(cohort));
    assertEquals(0, r.exit(), r::toString);
    assertEquals("student " + id + ": mentor " + mentor + ", cohort " + cohort, r.out().trim());
    Run unknown = run("portal-assign-student", "nobody-" + t + "@school.test", "--mentor", "none");
    assertEquals(1, unknown.exit(), unknown::toString);
    assertTrue(unknown.err().contains("no account has the email"), unknown::toString);
  }

  @Test
  @DisplayName("portal-audit-logs lists the trail newest first, filtered and paged")
  void auditLogs() {
    long mentor = createMentor("au-" + tag() + "@school.test");
    Run r = run("portal-audit-logs", "--entity-type", "user", "--entity-id", String.valueOf(mentor));
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().lines().anyMatch(l -> l.contains("user " + mentor) && l.contains("create")), r::toString);

    Run page = run("portal-audit-logs", "--limit", "2");
    assertEquals(0, page.exit(), page::toString);
    assertEquals(3, page.out().lines().count(), page::toString);
    Matcher more = Pattern.compile("more: --before (\\d+)").matcher(page.out());
    assertTrue(more.find(), page::toString);
    Run next = run("portal-audit-logs", "--limit", "2", "--before", more.group(1), "--json");
    assertEquals(0, next.exit(), next::toString);
    JsonArray items = new JsonObject(next.out()).getJsonArray("items");
    assertEquals(2, items.size());
    assertTrue(items.getJsonObject(0).getLong("id") < Long.parseLong(more.group(1)));
  }

  @Test
  @DisplayName("without a sign-in, or with the portal down, a script says so and exits 1")
  void notSignedInOrUnreachable() {
    Run r = run(home.resolve("absent-" + tag()), "", "portal-audit-logs");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().contains("not signed in"), r::toString);

    ProcessBuilder pb = new ProcessBuilder("bash", SCRIPTS.resolve("portal-audit-logs").toString());
    pb.environment().put("PORTAL_URL", "http://127.0.0.1:1");
    pb.environment().put("PORTAL_TOKEN", "x");
    try {
      Process p = pb.start();
      String err = read(p.getErrorStream());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertNotEquals(0, p.exitValue());
      assertTrue(err.contains("cannot reach the portal"), err);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
