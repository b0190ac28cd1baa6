package edu.mentoring.portal.events;

/** Event-bus addresses of the event log: queries served by {@link ActivityFeed}, what {@link EventSequencer} announces. */
public final class FeedAddresses {
  /** {@code GET /api/activity}: newest first, only events of rooms the caller may join. */
  public static final String ACTIVITY = "feed.activity";
  /** {@code GET /api/events?after=}: id order, for recovery after a reconnect. */
  public static final String EVENTS = "feed.events";
  /**
   * Internal (the bridges fill a gap in what they heard): {@code {after, before?, limit?}} → {@code {items:
   * [{event, rooms, notifies}], head}} — every numbered event in the id range, whoever may see it, in id order,
   * and the highest id there is ({@code limit} 0: only that).
   */
  public static final String RANGE = "feed.range";
  /**
   * Sent (point to point, no body, no reply) once a command's transaction with an event has committed; only the
   * active {@link EventSequencer} listens.
   */
  public static final String SEQUENCE = "events.sequence";
  /**
   * Published cluster-wide by the sequencer, once per event, in id order: {@code {event: {...envelope}, rooms:
   * [...], notifies: bool}}. The bridges deliver it to the rooms; metrics and notifications react to it.
   */
  public static final String STAMPED = "events.stamped";
  /**
   * Published cluster-wide by the sequencer every second: {@code {id}}, the highest id it has published. A node
   * whose last delivered id is lower fetches what it missed ({@link #RANGE}).
   */
  public static final String HORIZON = "events.horizon";

  private FeedAddresses() {
  }
}
