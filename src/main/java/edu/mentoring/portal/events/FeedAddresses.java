package edu.mentoring.portal.events;

/** Event-bus addresses of the event log: queries served by {@link ActivityFeed}, what {@link Outbox} announces. */
public final class FeedAddresses {
  /** {@code GET /api/activity}: newest first, only events of rooms the caller may join. */
  public static final String ACTIVITY = "feed.activity";
  /** {@code GET /api/events?after=}: id order, for recovery after a reconnect. */
  public static final String EVENTS = "feed.events";
  /**
   * Local to a node, body: the event id (a number). Sent once an event has been published; that node's
   * {@link EventRelay} marks it so no relay publishes it again.
   */
  public static final String PUBLISHED = "events.published";
  /**
   * Published cluster-wide once an event's transaction commits (or by the relay), one message per event: the
   * envelope plus its rooms, {@code {event: {...envelope}, rooms: [...]}}. For services that react to events (metrics).
   */
  public static final String STAMPED = "events.stamped";

  private FeedAddresses() {
  }
}
