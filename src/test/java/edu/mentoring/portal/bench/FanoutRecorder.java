package edu.mentoring.portal.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sink of the cohort fan-out scenarios: for every {@code schedule:created} (by its schedule id, what the HTTP
 * reply names) when it reached each socket, and for every such event's bell ({@code notification:created} on each
 * student's {@code user:} room) when it rang. Everything else is counted.
 */
final class FanoutRecorder extends CountingSink {
  static final String TYPE = "schedule:created";

  private final int sockets;
  private final int students;
  private final Map<Long, Arrivals> events = new ConcurrentHashMap<>();
  private final Map<Long, Arrivals> bellsByEvent = new ConcurrentHashMap<>();
  private final Map<Long, Long> eventOfTarget = new ConcurrentHashMap<>();

  FanoutRecorder(int sockets, int students) {
    this.sockets = sockets;
    this.students = students;
  }

  @Override
  public void onEvent(ClientSocket socket, long nanos, String room, long eventId, String type, long targetId) {
    if (!TYPE.equals(type)) {
      other.incrementAndGet();
      return;
    }
    eventOfTarget.putIfAbsent(targetId, eventId);
    arrivals(targetId).arrive(socket.index, nanos);
  }

  @Override
  public void onNotification(ClientSocket socket, long nanos, long notificationId, long eventId, String type) {
    if (TYPE.equals(type)) bellsByEvent.computeIfAbsent(eventId, k -> new Arrivals(sockets, students))
      .arrive(socket.index, nanos);
  }

  /** Sockets whose connection ended: they can no longer receive, so nobody waits for them. */
  private final AtomicInteger closedStudents = new AtomicInteger();
  private volatile boolean mentorClosed;

  @Override
  public void onClosed(ClientSocket socket) {
    super.onClosed(socket);
    if (socket.index < students) closedStudents.incrementAndGet();
    else mentorClosed = true;
  }

  /** The students still connected. */
  int openStudents() {
    return students - closedStudents.get();
  }

  boolean mentorOpen() {
    return !mentorClosed;
  }

  Arrivals arrivals(long target) {
    return events.computeIfAbsent(target, k -> new Arrivals(sockets, students));
  }

  /** The bells of the event about {@code target}, or null while no socket has seen that event yet. */
  Arrivals bells(long target) {
    Long event = eventOfTarget.get(target);
    return event == null ? null : bellsByEvent.computeIfAbsent(event, k -> new Arrivals(sockets, students));
  }

  /** Forgets what was recorded (between warm-up and measurement, and between steps), bounding memory. */
  void clear() {
    events.clear();
    bellsByEvent.clear();
    eventOfTarget.clear();
  }

  int students() {
    return students;
  }

  int sockets() {
    return sockets;
  }
}
