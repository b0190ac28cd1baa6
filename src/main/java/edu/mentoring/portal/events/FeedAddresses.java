package edu.mentoring.portal.events;

/** Event-bus addresses of the event log: queries served by {@link ActivityFeed}, signals of the sequencer. */
public final class FeedAddresses {
  /** {@code GET /api/activity}: newest first, only events of rooms the caller may join. */
  public static final String ACTIVITY = "feed.activity";
  /** {@code GET /api/events?after=}: id order, for recovery after a reconnect. */
  public static final String EVENTS = "feed.events";
  /**
   * Local to a node, no body: "events were committed to the outbox" — wakes that node's {@link EventSequencer}
   * at once instead of waiting for its sweep.
   */
  public static final String OUTBOX_WRITTEN = "events.outboxWritten";
  /**
   * Published cluster-wide by the sequencer after stamping, one message per event: the envelope plus its rooms,
   * {@code {event: {...envelope}, rooms: [...]}}. For services that react to events (metrics).
   */
  public static final String STAMPED = "events.stamped";

  private FeedAddresses() {
  }
}
