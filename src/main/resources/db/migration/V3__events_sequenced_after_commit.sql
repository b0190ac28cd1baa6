-- Scale (issue 8): no cluster-wide lock in the commands, no per-student work before an event goes out.
--
-- 1. Events. A command inserts its event unnumbered (id NULL, numbered by seq); after commit the one active
--    EventSequencer stamps committed events id = max(id)+1.. in batches and publishes them in id order. Ids stay
--    dense and become visible in increasing order, as before, without a lock held across a command's round trips.
--    event_cursors keeps how far the sequencer has published and the notification fan-out has gone.
-- 2. Notifications are materialised from the event log after stamping (one set-based statement per batch,
--    idempotent by (event_id, user_id)); notification_counts keeps each user's unread count, maintained by the
--    database itself, so the bell never needs a count(*) over a growing inbox.
-- 3. Sessions: the "no student double-booked" rule moves from one row per attendee to one claim per session,
--    keyed by cohort, so a group session for a cohort of 5,000 is one row, checked at once; attendee rows (the
--    roll) no longer carry the rule and are written after commit for group sessions.

-- ---------------------------------------------------------------- 1. the event log
ALTER TABLE notifications DROP CONSTRAINT notifications_event_id_fkey;
ALTER TABLE activity_feed DROP CONSTRAINT activity_feed_pkey;
ALTER TABLE activity_feed ALTER COLUMN id DROP NOT NULL;
ALTER TABLE activity_feed ADD COLUMN seq bigint;
UPDATE activity_feed SET seq = id;
CREATE SEQUENCE activity_feed_seq_seq OWNED BY activity_feed.seq;
SELECT setval('activity_feed_seq_seq', COALESCE((SELECT max(id) FROM activity_feed), 0) + 1, false);
ALTER TABLE activity_feed ALTER COLUMN seq SET DEFAULT nextval('activity_feed_seq_seq'), ALTER COLUMN seq SET NOT NULL;
ALTER TABLE activity_feed ADD CONSTRAINT activity_feed_pkey PRIMARY KEY (seq);
-- the public id: unique, dense, NULL until stamped; a second sequencer racing the first fails here, not silently
ALTER TABLE activity_feed ADD CONSTRAINT activity_feed_id_key UNIQUE (id);
ALTER TABLE activity_feed ALTER COLUMN stamped_at DROP NOT NULL, ALTER COLUMN stamped_at DROP DEFAULT;
-- [{title, body, users: [ids]} | {title, body, cohort: id}]: who this event notifies, materialised after stamping
ALTER TABLE activity_feed ADD COLUMN notify jsonb;
CREATE INDEX idx_activity_feed_unstamped ON activity_feed (seq) WHERE id IS NULL;

CREATE TABLE event_cursors (
  name     text PRIMARY KEY CHECK (name IN ('published', 'notified')),
  position bigint NOT NULL CHECK (position >= 0)
);
-- events an earlier node committed but had not marked published are published again (consumers dedupe by id)
INSERT INTO event_cursors VALUES
  ('published', COALESCE((SELECT min(id) - 1 FROM activity_feed WHERE published_at IS NULL),
                         (SELECT max(id) FROM activity_feed), 0)),
  ('notified', COALESCE((SELECT max(id) FROM activity_feed), 0)); -- their notifications were made with them

DROP INDEX idx_activity_feed_unpublished;
ALTER TABLE activity_feed DROP COLUMN published_at;

-- ---------------------------------------------------------------- 2. notifications
-- The fan-out writes a batch's notifications and moves its cursor in one transaction, under the cursor's row lock:
-- a batch is done once, whoever runs it (no unique index needed, and none to maintain per row). Foreign keys cost a
-- per-row check (with the unread index they tripled the cost of notifying a cohort); the fan-out inserts only
-- recipients joined with users, and neither users nor events are ever deleted; the unread index gives way to the
-- counts below.
ALTER TABLE notifications DROP CONSTRAINT notifications_user_id_fkey;
DROP INDEX idx_notifications_unread;

CREATE TABLE notification_counts (
  user_id bigint PRIMARY KEY,
  unread  integer NOT NULL DEFAULT 0 CHECK (unread >= 0)
);
INSERT INTO notification_counts (user_id, unread)
  SELECT user_id, count(*) FILTER (WHERE read_at IS NULL) FROM notifications GROUP BY user_id;

-- The counts follow every statement on notifications, set-based (one statement however many rows it touches).
CREATE FUNCTION notification_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO notification_counts AS c (user_id, unread)
    SELECT user_id, count(*) FROM added WHERE read_at IS NULL GROUP BY user_id
  ON CONFLICT (user_id) DO UPDATE SET unread = c.unread + EXCLUDED.unread;
  RETURN NULL;
END $$;
CREATE FUNCTION notification_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE notification_counts c SET unread = c.unread + d.delta
  FROM (SELECT user_id, sum(delta) AS delta FROM (
          SELECT user_id, -1 AS delta FROM removed WHERE read_at IS NULL
          UNION ALL SELECT user_id, 1 FROM added WHERE read_at IS NULL) x
        GROUP BY user_id) d
  WHERE c.user_id = d.user_id AND d.delta <> 0;
  RETURN NULL;
END $$;
CREATE FUNCTION notification_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE notification_counts c SET unread = c.unread - d.n
  FROM (SELECT user_id, count(*) AS n FROM removed WHERE read_at IS NULL GROUP BY user_id) d
  WHERE c.user_id = d.user_id;
  RETURN NULL;
END $$;
CREATE TRIGGER notification_counts_insert AFTER INSERT ON notifications
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION notification_counts_insert();
CREATE TRIGGER notification_counts_update AFTER UPDATE ON notifications
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION notification_counts_update();
CREATE TRIGGER notification_counts_delete AFTER DELETE ON notifications
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION notification_counts_delete();

-- ---------------------------------------------------------------- 3. sessions: one claim per session
-- A claim reserves time for some students: a 1:1 for its one student ({[s, s+1)}), a group session for every
-- member of its cohort (the whole line, minus members excused because they were double-booked when they joined).
-- A student's 1:1 claims are keyed by their current cohort (0: none), so the rule "no student in two sessions at
-- once, including their cohort's" is one exclusion: same key, overlapping students, overlapping time.
CREATE TABLE session_claims (
  schedule_id bigint         PRIMARY KEY REFERENCES schedules (id) ON DELETE CASCADE,
  cohort_key  bigint         NOT NULL,
  student_id  bigint, -- the 1:1's student; NULL for a group session
  students    int8multirange NOT NULL,
  during      tstzrange      NOT NULL,
  active      boolean        NOT NULL DEFAULT true, -- false once the session is cancelled
  CONSTRAINT session_claims_no_overlap EXCLUDE USING gist (
    cohort_key WITH =, students WITH &&, during WITH &&) WHERE (active)
);
CREATE INDEX idx_session_claims_student ON session_claims (student_id) WHERE student_id IS NOT NULL;

INSERT INTO session_claims (schedule_id, cohort_key, student_id, students, during, active)
SELECT s.id, COALESCE(u.cohort_id, 0), s.student_id, int8multirange(int8range(s.student_id, s.student_id + 1)),
       tstzrange(s.start_time, s.end_time), s.status <> 'cancelled'
FROM schedules s JOIN users u ON u.id = s.student_id
WHERE NOT s.is_group_session;

-- members of the cohort who are not on a group session's roll were excused (they joined later, or clashed)
INSERT INTO session_claims (schedule_id, cohort_key, student_id, students, during, active)
SELECT s.id, s.cohort_id, NULL,
       int8multirange(int8range(NULL, NULL)) - COALESCE((
         SELECT range_agg(int8range(u.id, u.id + 1)) FROM users u
         WHERE u.cohort_id = s.cohort_id AND u.role = 'student'
           AND NOT EXISTS (SELECT 1 FROM schedule_attendees a WHERE a.schedule_id = s.id AND a.student_id = u.id)),
         '{}'::int8multirange),
       tstzrange(s.start_time, s.end_time), s.status <> 'cancelled'
FROM schedules s
WHERE s.is_group_session;

-- the roll no longer carries the rule (nor the copy of the session's time that it needed); its rows are written from
-- users that exist (never deleted): the per-row foreign-key check on them doubled the cost of a cohort's roll
ALTER TABLE schedule_attendees DROP CONSTRAINT schedule_attendees_student_no_overlap;
ALTER TABLE schedule_attendees DROP COLUMN start_time, DROP COLUMN end_time, DROP COLUMN active;
ALTER TABLE schedule_attendees DROP CONSTRAINT schedule_attendees_student_id_fkey;
ALTER TABLE task_assignees DROP CONSTRAINT task_assignees_student_id_fkey;

-- A group session's roll (and a cohort task's assignees) are written just after the command commits; until then
-- these are NULL and the cohort's members see the session by their membership.
ALTER TABLE schedules ADD COLUMN attendees_added_at timestamptz;
UPDATE schedules SET attendees_added_at = created_at;
ALTER TABLE tasks ADD COLUMN assignees_added_at timestamptz;
UPDATE tasks SET assignees_added_at = created_at;
CREATE INDEX idx_schedules_roll_pending ON schedules (id) WHERE attendees_added_at IS NULL;
CREATE INDEX idx_tasks_assignees_pending ON tasks (id) WHERE assignees_added_at IS NULL;
