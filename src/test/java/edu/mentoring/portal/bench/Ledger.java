package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;

/**
 * Every domain event and notification each socket received, kept until the run is checked against what should
 * have arrived ({@link Expected}: from the contract's room rules and the documented notification rules). Frames
 * may come before the HTTP reply that names the event, so receipts are kept by {@code type#targetId}.
 */
final class Ledger extends CountingSink {
  record Receipt(int socket, String room, long eventId, long nanos) {
  }

  /** One write: the event it must cause, from when it counts, and who must get it (socket indices). */
  record Expected(String key, String action, long dueNanos, Set<Integer> sockets, Set<Integer> notified) {
  }

  private final Map<String, ConcurrentLinkedQueue<Receipt>> events = new ConcurrentHashMap<>();
  private final Map<Long, ConcurrentLinkedQueue<Receipt>> notifications = new ConcurrentHashMap<>();
  private final Map<String, Long> eventIds = new ConcurrentHashMap<>();

  static String key(String type, long targetId) {
    return type + "#" + targetId;
  }

  @Override
  public void onEvent(ClientSocket socket, long nanos, String room, long eventId, String type, long targetId) {
    String key = key(type, targetId);
    eventIds.putIfAbsent(key, eventId);
    events.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
      .add(new Receipt(socket.index, room, eventId, nanos));
  }

  @Override
  public void onNotification(ClientSocket socket, long nanos, long notificationId, long eventId, String type) {
    notifications.computeIfAbsent(eventId, k -> new ConcurrentLinkedQueue<>())
      .add(new Receipt(socket.index, "user", notificationId, nanos));
  }

  /** Whether {@code socket} has received the event (on any room). */
  boolean received(String key, int socket) {
    ConcurrentLinkedQueue<Receipt> r = events.get(key);
    return r != null && r.stream().anyMatch(x -> x.socket() == socket);
  }

  /** Whether every expected socket has its event and its notification by now. */
  boolean complete(Expected e) {
    return missingSockets(e).isEmpty() && missingNotified(e).isEmpty();
  }

  private Set<Integer> missingSockets(Expected e) {
    Set<Integer> missing = new HashSet<>(e.sockets());
    ConcurrentLinkedQueue<Receipt> r = events.get(e.key());
    if (r != null) r.forEach(x -> missing.remove(x.socket()));
    return missing;
  }

  private Set<Integer> missingNotified(Expected e) {
    Set<Integer> missing = new HashSet<>(e.notified());
    Long eventId = eventIds.get(e.key());
    ConcurrentLinkedQueue<Receipt> r = eventId == null ? null : notifications.get(eventId);
    if (r != null) r.forEach(x -> missing.remove(x.socket()));
    return missing;
  }

  /** The check of a run: deliveries expected, made, missing, repeated and unexpected, and their latency. */
  Check check(List<Expected> expected, long deadlineNanos) {
    return check(expected, deadlineNanos, s -> null);
  }

  /** As {@link #check(List, long)}, with the latency also by a group of sockets (e.g. their node). */
  Check check(List<Expected> expected, long deadlineNanos, IntFunction<String> groupOf) {
    Check c = new Check();
    for (Expected e : expected) {
      Map<String, Integer> seen = new HashMap<>();
      Set<Integer> got = new HashSet<>();
      for (Receipt r : events.getOrDefault(e.key(), new ConcurrentLinkedQueue<>())) {
        if (r.nanos() > deadlineNanos) continue;
        if (seen.merge(r.socket() + " " + r.room(), 1, Integer::sum) > 1) {
          c.duplicates++;
          c.missing.add("duplicate", e.key() + " twice on " + r.room() + " at socket " + r.socket());
        }
        if (!e.sockets().contains(r.socket())) {
          c.unexpected++;
          c.missing.add("unexpected", e.key() + " reached socket " + r.socket() + " on " + r.room());
        } else if (got.add(r.socket())) {
          c.latency.addNanos(e.dueNanos(), r.nanos());
          c.byAction(e.action()).addNanos(e.dueNanos(), r.nanos());
          String group = groupOf.apply(r.socket());
          if (group != null) c.byGroup(group).addNanos(e.dueNanos(), r.nanos());
        }
      }
      c.expected += e.sockets().size();
      c.delivered += got.size();
      for (int s : e.sockets()) if (!got.contains(s)) c.missing.add("event", e.key() + " never reached socket " + s);
      Long eventId = eventIds.get(e.key());
      Set<Integer> rang = new HashSet<>();
      if (eventId != null) {
        for (Receipt r : notifications.getOrDefault(eventId, new ConcurrentLinkedQueue<>())) {
          if (r.nanos() <= deadlineNanos && e.notified().contains(r.socket()) && rang.add(r.socket())) {
            c.bellLatency.addNanos(e.dueNanos(), r.nanos());
          }
        }
      }
      c.notificationsExpected += e.notified().size();
      c.notificationsDelivered += rang.size();
      for (int s : e.notified()) {
        if (!rang.contains(s)) c.missing.add("notification", "bell of " + e.key() + " never rang at socket " + s);
      }
    }
    return c;
  }

  void clear() {
    events.clear();
    notifications.clear();
    eventIds.clear();
  }

  /** The figures of {@link #check}. */
  static final class Check {
    long expected;
    long delivered;
    long duplicates;
    long unexpected;
    long notificationsExpected;
    long notificationsDelivered;
    final Samples latency = new Samples();
    final Samples bellLatency = new Samples();
    final Missing missing = new Missing();
    private final Map<String, Samples> byAction = new TreeMap<>();
    private final Map<String, Samples> byGroup = new TreeMap<>();

    Samples byAction(String action) {
      return byAction.computeIfAbsent(action, a -> new Samples());
    }

    Samples byGroup(String group) {
      return byGroup.computeIfAbsent(group, a -> new Samples());
    }

    long missingEvents() {
      return expected - delivered;
    }

    long missingNotifications() {
      return notificationsExpected - notificationsDelivered;
    }

    JsonObject toJson() {
      JsonObject perAction = new JsonObject();
      byAction.forEach((a, s) -> perAction.put(a, s.summary()));
      JsonObject perGroup = new JsonObject();
      byGroup.forEach((g, s) -> perGroup.put(g, s.summary()));
      return new JsonObject().put("expected", expected).put("delivered", delivered).put("missing", missingEvents())
        .put("duplicates", duplicates).put("unexpected", unexpected).put("latency", latency.summary())
        .put("latencyByAction", perAction).put("latencyByGroup", perGroup)
        .put("notifications", new JsonObject().put("expected", notificationsExpected)
          .put("delivered", notificationsDelivered).put("missing", missingNotifications())
          .put("latency", bellLatency.summary()))
        .put("problems", missing.toJson());
    }
  }
}
