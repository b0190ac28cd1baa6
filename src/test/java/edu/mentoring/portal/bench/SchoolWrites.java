package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The writes of a school day, each by a distinct random actor through the API: students write entries and submit
 * them, mentors comment on submitted entries, assign tasks to a student or their cohort, and schedule 1:1 and group
 * sessions. Each write yields what must follow from it ({@link Ledger.Expected}): its event's recipients by the
 * contract's room rules, its notifications by docs/notifications.md.
 */
final class SchoolWrites {
  static final Opt MIX = Opt.of("mix", "entry=30,submit=20,comment=20,task=10,cohort-task=5,session=10,group-session=5",
    "weights of the writes: entry, submit, comment, task, cohort-task, session, group-session");
  private static final List<String> KINDS = List.of("entry", "submit", "comment", "task", "cohort-task", "session",
    "group-session");

  private record Entry(Member student, long id) {
  }

  private final School school;
  private final ContractRooms rooms;
  private final List<Http> nodes;
  private final Slots slots;
  private final Map<String, Integer> weights = new LinkedHashMap<>();
  private final int totalWeight;
  private final ConcurrentLinkedQueue<Entry> drafts = new ConcurrentLinkedQueue<>();
  private final List<Entry> submitted = new ArrayList<>();
  private final Map<String, Samples> http = new TreeMap<>();
  private final Map<String, Integer> statuses = new TreeMap<>();

  SchoolWrites(School school, ContractRooms rooms, List<Http> nodes, Slots slots, Map<String, String> mix) {
    this.school = school;
    this.rooms = rooms;
    this.nodes = nodes;
    this.slots = slots;
    mix.forEach((k, v) -> {
      if (!KINDS.contains(k)) throw new IllegalArgumentException("--mix: unknown write " + k + " (" + KINDS + ")");
      weights.put(k, Integer.parseInt(v));
    });
    this.totalWeight = weights.values().stream().mapToInt(Integer::intValue).sum();
    if (totalWeight <= 0) throw new IllegalArgumentException("--mix: no write has a weight");
  }

  /** The n-th write (due at {@code due}: its latencies count from then), on node n % nodes. */
  Future<Ledger.Expected> start(int n, long due) {
    String kind = pick();
    Http node = nodes.get(n % nodes.size());
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    Member student = school.students.get(rnd.nextInt(school.students.size()));
    long cohort = student.cohortId();
    Member mentor = school.mentorOf(cohort);
    if (kind.equals("submit")) {
      Entry draft = drafts.poll();
      if (draft != null) return submit(node, draft, due);
      kind = "entry";
    } else if (kind.equals("comment")) {
      Entry e = randomSubmitted();
      if (e != null) return comment(node, e, due);
      kind = "entry";
    }
    return write(kind, n, due, node, student, mentor, cohort);
  }

  private Future<Ledger.Expected> write(String kind, int n, long due, Http node, Member student, Member mentor,
                                        long cohort) {
    return switch (kind) {
      case "entry" -> track("entry", due, node.post("/api/entries", student.token(), new JsonObject()
          .put("title", "Entry " + n).put("content", "What I learned today, part " + n)))
        .map(id -> {
          drafts.add(new Entry(student, id));
          return expect("entry:created", id, "entry", due, rooms.ofStudentAndMentors(student), Set.of());
        });
      case "task" -> track(kind, due, node.post("/api/tasks", mentor.token(), new JsonObject()
          .put("studentId", student.id()).put("title", "Task " + n)))
        .map(id -> expect("task:assigned", id, "task", due, rooms.ofAudience(student.id(), null, mentor.id()),
          rooms.usersSockets(List.of(student.id()))));
      case "cohort-task" -> track(kind, due, node.post("/api/tasks", mentor.token(), new JsonObject()
          .put("cohortId", cohort).put("title", "Cohort task " + n)))
        .map(id -> expect("task:assigned", id, "cohort-task", due, rooms.ofAudience(null, cohort, mentor.id()),
          rooms.usersSockets(rooms.members(cohort))));
      case "session" -> session(node, mentor, student.id(), null, due);
      case "group-session" -> session(node, mentor, null, cohort, due);
      default -> throw new IllegalStateException(kind);
    };
  }

  private Future<Ledger.Expected> submit(Http node, Entry draft, long due) {
    return track("submit", due, node.patch("/api/entries/" + draft.id() + "/status", draft.student().token(),
        new JsonObject().put("status", "submitted")))
      .map(id -> {
        synchronized (submitted) {
          submitted.add(draft);
        }
        return expect("entry:statusChanged", draft.id(), "submit", due, rooms.ofStudentAndMentors(draft.student()),
          rooms.usersSockets(school.mentorsOf(draft.student())));
      });
  }

  private Future<Ledger.Expected> comment(Http node, Entry e, long due) {
    Member mentor = school.mentorOf(e.student().cohortId());
    return track("comment", due, node.post("/api/entries/" + e.id() + "/comments", mentor.token(),
        new JsonObject().put("body", "Good work on entry " + e.id())))
      .map(id -> expect("comment:added", id, "comment", due, rooms.ofStudentAndMentors(e.student()),
        rooms.usersSockets(List.of(e.student().id()))));
  }

  private Future<Ledger.Expected> session(Http node, Member mentor, Long studentId, Long cohort, long due) {
    Slots.Slot slot = slots.next();
    JsonObject body = studentId != null ? slot.oneToOne(studentId) : slot.groupSession(cohort);
    String kind = studentId != null ? "session" : "group-session";
    return track(kind, due, node.post("/api/schedules", mentor.token(), body))
      .map(id -> expect("schedule:created", id, kind, due, rooms.ofAudience(studentId, cohort, mentor.id()),
        rooms.usersSockets(studentId != null ? List.of(studentId) : rooms.members(cohort))));
  }

  private static Ledger.Expected expect(String type, long target, String kind, long due, Set<Integer> sockets,
                                        Set<Integer> notified) {
    return new Ledger.Expected(Ledger.key(type, target), kind, due, sockets, notified);
  }

  /** The reply's id; its latency from the due time and its status are counted by kind; not 2xx fails. */
  private Future<Long> track(String kind, long due, Future<Http.Reply> reply) {
    return reply.transform(ar -> {
      int status = ar.succeeded() ? ar.result().status() : 0;
      synchronized (this) {
        statuses.merge(kind + " " + (status == 0 ? "no reply" : status), 1, Integer::sum);
        if (ar.succeeded()) http.computeIfAbsent(kind, k -> new Samples()).addNanos(due, ar.result().doneNanos());
      }
      if (ar.failed()) return Future.failedFuture(ar.cause());
      if (!ar.result().ok()) return Future.failedFuture(kind + " → " + status + " " + ar.result().body());
      JsonObject j = ar.result().json();
      return Future.succeededFuture(j.getLong("id"));
    });
  }

  private Entry randomSubmitted() {
    synchronized (submitted) {
      return submitted.isEmpty() ? null : submitted.get(ThreadLocalRandom.current().nextInt(submitted.size()));
    }
  }

  private String pick() {
    int r = ThreadLocalRandom.current().nextInt(totalWeight);
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      r -= w.getValue();
      if (r < 0) return w.getKey();
    }
    throw new IllegalStateException();
  }

  /** HTTP latency (from the due time) by kind and over all, and replies by kind and status. */
  synchronized JsonObject httpJson() {
    Samples all = new Samples();
    JsonObject byKind = new JsonObject();
    http.forEach((k, s) -> {
      byKind.put(k, s.summary());
      all.addAll(s);
    });
    JsonObject st = new JsonObject();
    statuses.forEach(st::put);
    return new JsonObject().put("all", all.summary()).put("byKind", byKind).put("statuses", st);
  }

  synchronized Samples httpOf(String kind) {
    return http.getOrDefault(kind, new Samples());
  }

  synchronized int failed() {
    return statuses.entrySet().stream().filter(e -> !e.getKey().matches(".* 2\\d\\d"))
      .mapToInt(Map.Entry::getValue).sum();
  }

  /** Forgets the latencies and statuses (after the warm-up); the school's entries stay. */
  synchronized void resetCounts() {
    http.clear();
    statuses.clear();
  }
}
