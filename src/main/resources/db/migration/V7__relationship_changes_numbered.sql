-- Revocation without a window (issue 9, item 7).
-- A change of who mentors whom is written to the event log in its own transaction, as relationships:changed, and
-- numbered with everything else: every node re-checks the sockets it concerns when that id comes up, before it
-- delivers any id after it. An event committed after the change is numbered after it, so it cannot reach a room the
-- change took away. Not a domain event: /api/activity leaves it out, /api/events (recovery) keeps it.
ALTER TABLE activity_feed DROP CONSTRAINT activity_feed_event_type_check;
ALTER TABLE activity_feed ADD CONSTRAINT activity_feed_event_type_check CHECK (event_type IN (
  'student:registered', 'entry:created', 'entry:statusChanged', 'comment:added', 'task:assigned', 'task:progressed',
  'schedule:created', 'schedule:updated', 'relationships:changed')) NOT VALID;
ALTER TABLE activity_feed VALIDATE CONSTRAINT activity_feed_event_type_check;
-- the sequencer takes unnumbered relationship changes first: found by their own (nearly always empty) index, so the
-- rest is still read in seq order from idx_activity_feed_unstamped, a batch at a time
CREATE INDEX idx_activity_feed_unstamped_changes ON activity_feed (seq)
  WHERE id IS NULL AND event_type = 'relationships:changed';
