package edu.mentoring.portal.realtime;

/** Bus addresses of the real-time side. */
public final class RealtimeAddresses {
  /**
   * Published cluster-wide, once per message that is not a numbered event (those come on events.stamped):
   * {@code {rooms: ["user:4", ...], message: {...}}}. Each node's RoomBridge has exactly one consumer and writes
   * the message to its local sockets in those rooms at once.
   */
  public static final String DELIVER = "realtime.deliver";
  /**
   * Published cluster-wide by the notification fan-out, once per batch: {@code {groups: [{notification: {type,
   * title, body, eventId, read, createdAt}, users: [ids], ids: [notification ids], unread: [counts]}]}} — each
   * node's RoomBridge writes each recipient with a local socket their {@code notification:created} on
   * {@code user:{id}}, with that notification's id and their unread count.
   */
  public static final String NOTIFICATIONS = "realtime.notifications";

  /**
   * Published cluster-wide by every node's RoomBridge every {@code 2 s}: {@code {rooms: [...]}}, the rooms of
   * pushed state (metrics: {@code mentor:{id}}, {@code role:admin}) that have a socket on that node. What nobody
   * watches need not be computed (DashboardMetrics).
   */
  public static final String WATCHERS = "realtime.watchers";
  public static final long WATCHERS_EVERY_MS = 2_000;

  private RealtimeAddresses() {
  }
}
