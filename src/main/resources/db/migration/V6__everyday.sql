-- Everyday product (issue 11).
-- 1. task:progressed joins the feed's event types: an assignee's progress reaches the mentor's room and bell.
ALTER TABLE activity_feed DROP CONSTRAINT activity_feed_event_type_check;
ALTER TABLE activity_feed ADD CONSTRAINT activity_feed_event_type_check CHECK (event_type IN (
  'student:registered', 'entry:created', 'entry:statusChanged', 'comment:added', 'task:assigned', 'task:progressed',
  'schedule:created', 'schedule:updated')) NOT VALID;
ALTER TABLE activity_feed VALIDATE CONSTRAINT activity_feed_event_type_check;

-- 2. An admin deactivates an account (its tokens and sockets stop at once; the row and its history stay) and hands
--    a user a one-time link to set a new password (only its SHA-256 is kept; spent once, or replaced, or expired).
ALTER TABLE users ADD COLUMN deactivated_at timestamptz;
CREATE TABLE password_resets (
  token_hash text        PRIMARY KEY,
  user_id    bigint      NOT NULL REFERENCES users (id),
  created_by bigint      REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX idx_password_resets_user ON password_resets (user_id) WHERE used_at IS NULL;

-- 3. Feedback is a conversation: a comment may answer a top-level comment of the SAME entry (the composite key
--    keeps a reply on its entry; one level deep is the store's rule).
ALTER TABLE entry_comments ADD CONSTRAINT entry_comments_id_entry_key UNIQUE (id, entry_id);
ALTER TABLE entry_comments ADD COLUMN parent_id bigint;
ALTER TABLE entry_comments ADD CONSTRAINT entry_comments_parent_fk
  FOREIGN KEY (parent_id, entry_id) REFERENCES entry_comments (id, entry_id) ON DELETE CASCADE;
