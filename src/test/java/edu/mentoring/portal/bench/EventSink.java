package edu.mentoring.portal.bench;

/**
 * What the load clients report, per socket, the instant a frame arrived ({@code nanos}, System.nanoTime, taken
 * before parsing). One interface for the bridge and the Socket.IO clients, so the baselines are measured by the
 * same code as the portal.
 */
interface EventSink {
  /** A domain event (it has an activity {@code id}; -1 when the server sent none) on {@code room}. */
  void onEvent(ClientSocket socket, long nanos, String room, long eventId, String type, long targetId);

  /** A {@code notification:created} on the socket's {@code user:} room. */
  default void onNotification(ClientSocket socket, long nanos, long notificationId, long eventId, String type) {
  }

  /** The server confirmed a {@code register} ({@code room:joined}). */
  default void onJoined(ClientSocket socket, String room) {
  }

  /** An {@code err} frame (refused or revoked room, access denied). */
  default void onError(ClientSocket socket, String body, String address) {
  }

  /** Anything else with a type (metrics, relationships, notifications:changed): counted, not checked. */
  default void onOther(ClientSocket socket, long nanos, String type) {
  }

  /** Every frame: its message type (the body's, for {@code rec} frames) and size in bytes. */
  default void onFrame(String type, int bytes) {
  }

  /** The connection ended (closed by the server, or reset). */
  default void onClosed(ClientSocket socket) {
  }
}
