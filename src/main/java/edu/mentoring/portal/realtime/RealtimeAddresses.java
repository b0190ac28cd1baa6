package edu.mentoring.portal.realtime;

/** Bus addresses of the real-time side. */
public final class RealtimeAddresses {
  /**
   * Published cluster-wide, once per message: {@code {rooms: ["student:4", ...], message: {...}}}. Each node's
   * RoomBridge has exactly one consumer and writes the message to its local sockets in those rooms.
   */
  public static final String DELIVER = "realtime.deliver";

  private RealtimeAddresses() {
  }
}
