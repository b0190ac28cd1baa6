package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;


/**
 * One target made ready for the fan-out scenarios: server up, N students and their mentor connected and
 * registered, heap and RSS per socket measured, warmed up. Then {@link #createAndWait} creates a session and waits
 * until it reached every socket (and, on the portal, rang every student's bell).
 */
final class FanoutSession {
  final FanoutTarget target;
  final FanoutRecorder recorder;
  final int students;
  final Slots slots = new Slots();
  final JsonObject setup = new JsonObject();

  private FanoutSession(FanoutTarget target, int students) {
    this.target = target;
    this.students = students;
    this.recorder = new FanoutRecorder(students + 1, students);
  }

  /** A session created, when it was sent, its reply, and where it got to. */
  record Created(long target, long sentNanos, long replyNanos, Arrivals arrivals, Arrivals bells) {
  }

  static FanoutSession open(FanoutTarget target, int students, String warmup) throws Exception {
    FanoutSession s = new FanoutSession(target, students);
    target.prepare(students);
    long heap0 = target.heapBytes();
    long rss0 = ProcessProbe.rssBytes(target.pid());
    long t0 = System.nanoTime();
    double open = target.connect(s.recorder);
    String barrier = s.awaitRegistered();
    double registered = (System.nanoTime() - t0) / 1e9;
    long heap1 = target.heapBytes();
    long rss1 = ProcessProbe.rssBytes(target.pid());
    int sockets = students + 1;
    s.setup.put("sockets", sockets).put("openSeconds", Samples.round(open))
      .put("openPerSecond", Samples.round(sockets / open))
      .put("registeredSeconds", Samples.round(registered)).put("registrationBarrier", barrier)
      .put("heapBeforeBytes", heap0).put("heapAfterBytes", heap1)
      .put("heapPer1000MB", Samples.round((heap1 - heap0) / 1e6 / sockets * 1000))
      .put("rssPer1000MB", Samples.round((rss1 - rss0) / 1e6 / sockets * 1000));
    System.out.printf("%s: %d sockets open in %.1f s, registered after %.1f s (%s); heap %.2f MB per 1,000%n",
      target.name(), sockets, open, registered, barrier, s.setup.getDouble("heapPer1000MB"));
    int batch = Math.max(10, Math.min(100, 100_000 / sockets));
    s.setup.put("warmup", Warmup.run(warmup, batch, n -> {
      for (int i = 0; i < n; i++) s.createAndWait(30_000);
      target.readBells(); // or each batch would be slower than the last: see PortalFanout.readBells
    }, target.pid()));
    s.recorder.clear();
    return s;
  }

  /** Confirmed rooms, or sessions created until one reaches every socket. */
  private String awaitRegistered() throws InterruptedException {
    if (Registration.awaitConfirmed(target.sockets())) return target.roomConfirmation();
    return Registration.awaitByEvents("warm-up event", 30, () -> {
      try {
        Created c = createAndWait(5_000);
        return c.arrivals().studentsReached() == students && c.arrivals().othersReached() == 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  Created createAndWait(long timeoutMs) throws InterruptedException {
    long t0 = System.nanoTime();
    long id = target.createGroupSession(slots.next()).await();
    long reply = System.nanoTime();
    Arrivals a = recorder.arrivals(id);
    long deadline = t0 + timeoutMs * 1_000_000L;
    // a socket the server closed cannot receive: waiting for it would only add the timeout to every event
    while (System.nanoTime() < deadline && !(a.studentsReached() >= recorder.openStudents()
      && (a.othersReached() == 1 || !recorder.mentorOpen()) && bellsDone(id))) {
      Thread.sleep(1);
    }
    Arrivals bells = target.notifies() ? recorder.bells(id) : null;
    if (System.nanoTime() >= deadline) {
      List<String> sample = new ArrayList<>();
      for (ClientSocket c : target.sockets()) {
        if (c.index < students && a.at(c.index) == 0 && sample.size() < 3) {
          sample.add("socket " + c.index + (c.isOpen() ? " open" : " closed") + ", connects " + c.connects.get()
            + ", last id " + c.maxId());
        }
      }
      System.out.printf("%s: not reached: %s; err frames %d %s%n", target.name(), sample, recorder.errors.get(),
        recorder.errorExamples());
      System.out.printf("%s: schedule %d after %d ms: %d of %d students, mentor %s, bells %s; %d students' sockets "
          + "closed%n", target.name(), id, timeoutMs, a.studentsReached(), students,
        a.othersReached() == 1 ? "yes" : "no", bells == null ? "-" : bells.studentsReached() + " of " + students,
        students - recorder.openStudents());
    }
    return new Created(id, t0, reply, a, bells);
  }

  private boolean bellsDone(long id) {
    if (!target.notifies()) return true;
    Arrivals b = recorder.bells(id);
    return b != null && b.studentsReached() >= recorder.openStudents();
  }
}
