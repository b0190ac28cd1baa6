-- The whole portal schema. Rules that concurrency could break live here as constraints, not in Java.
-- Identifiers in snake_case; the index names the seed fixed keep their camelCase (quoted).

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- ---------------------------------------------------------------- accounts
CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  email         text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  password_hash text        NOT NULL,
  name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role          text        NOT NULL CHECK (role IN ('admin', 'mentor', 'student')),
  cohort_id     bigint,
  mentor_id     bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- only students belong to a cohort or have a mentor
  CHECK (role = 'student' OR (cohort_id IS NULL AND mentor_id IS NULL)),
  CHECK (mentor_id IS NULL OR mentor_id <> id)
);
-- emails are unique case-insensitively; the database keeps it under concurrent registrations
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_users_mentor_id ON users (mentor_id);
CREATE INDEX idx_users_cohort_id ON users (cohort_id);

CREATE TABLE cohorts (
  id         bigserial PRIMARY KEY,
  name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cohorts_name_key ON cohorts (lower(name));

ALTER TABLE users ADD CONSTRAINT users_cohort_fk FOREIGN KEY (cohort_id) REFERENCES cohorts (id);

CREATE TABLE cohort_mentors (
  cohort_id bigint NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  mentor_id bigint NOT NULL REFERENCES users (id),
  PRIMARY KEY (cohort_id, mentor_id)
);
CREATE INDEX idx_cohort_mentors_mentor ON cohort_mentors (mentor_id);

-- ---------------------------------------------------------------- learning entries and feedback
CREATE TABLE learning_entries (
  id           bigserial PRIMARY KEY,
  student_id   bigint      NOT NULL REFERENCES users (id),
  title        text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  content      text        NOT NULL CHECK (length(content) <= 20000),
  focus_stack  text CHECK (length(focus_stack) <= 100),
  status       text        NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'submitted', 'in_review', 'approved', 'needs_revision')),
  submitted_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_learning_entries_student ON learning_entries (student_id, id DESC);
CREATE INDEX idx_learning_entries_status ON learning_entries (status);

CREATE TABLE entry_comments (
  id         bigserial PRIMARY KEY,
  entry_id   bigint      NOT NULL REFERENCES learning_entries (id) ON DELETE CASCADE,
  author_id  bigint      NOT NULL REFERENCES users (id),
  body       text        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_entry_comments_entry ON entry_comments (entry_id, id);

-- ---------------------------------------------------------------- tasks
CREATE TABLE tasks (
  id          bigserial PRIMARY KEY,
  mentor_id   bigint      NOT NULL REFERENCES users (id),
  student_id  bigint REFERENCES users (id),
  cohort_id   bigint REFERENCES cohorts (id),
  title       text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 5000),
  due_at      timestamptz,
  status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((student_id IS NULL) <> (cohort_id IS NULL))
);
CREATE INDEX idx_tasks_student ON tasks (student_id);
CREATE INDEX idx_tasks_cohort ON tasks (cohort_id);
CREATE INDEX idx_tasks_mentor ON tasks (mentor_id);

-- each assignee's own progress on a task (one row for a student task, one per cohort member for a cohort task)
CREATE TABLE task_assignees (
  task_id      bigint      NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  student_id   bigint      NOT NULL REFERENCES users (id),
  status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
  completed_at timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, student_id)
);
CREATE INDEX idx_task_assignees_student ON task_assignees (student_id);

-- ---------------------------------------------------------------- schedules
CREATE TABLE schedules (
  id               bigserial PRIMARY KEY,
  mentor_id        bigint      NOT NULL REFERENCES users (id),
  student_id       bigint REFERENCES users (id),
  cohort_id        bigint REFERENCES cohorts (id),
  title            text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description      text CHECK (length(description) <= 5000),
  start_time       timestamptz NOT NULL,
  end_time         timestamptz NOT NULL,
  focus_stack      text CHECK (length(focus_stack) <= 100),
  status           text        NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'completed', 'cancelled', 'missed')),
  is_group_session boolean     NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT schedules_time_order CHECK (end_time > start_time),
  CONSTRAINT schedules_max_length CHECK (end_time - start_time <= interval '8 hours'),
  CONSTRAINT schedules_audience CHECK (
    (is_group_session AND cohort_id IS NOT NULL AND student_id IS NULL)
    OR (NOT is_group_session AND student_id IS NOT NULL AND cohort_id IS NULL)),
  -- a mentor is never double-booked, however many requests race
  CONSTRAINT schedules_mentor_no_overlap EXCLUDE USING gist (
    mentor_id WITH =, tstzrange(start_time, end_time) WITH &&) WHERE (status <> 'cancelled')
);
CREATE INDEX "idx_schedules_mentorId" ON schedules (mentor_id);
CREATE INDEX "idx_schedules_studentId" ON schedules (student_id);
CREATE INDEX "idx_schedules_startTime" ON schedules (start_time);
CREATE INDEX idx_schedules_cohort ON schedules (cohort_id);

-- one row per student in a session (one for a 1:1, one per cohort member for a group session): their attendance,
-- and the copy of the session's time that lets the database refuse a student's overlapping sessions
CREATE TABLE schedule_attendees (
  schedule_id bigint      NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  student_id  bigint      NOT NULL REFERENCES users (id),
  start_time  timestamptz NOT NULL,
  end_time    timestamptz NOT NULL,
  active      boolean     NOT NULL DEFAULT true, -- false once the session is cancelled
  attendance  text        NOT NULL DEFAULT 'pending' CHECK (attendance IN ('pending', 'attended', 'absent')),
  marked_at   timestamptz,
  PRIMARY KEY (schedule_id, student_id),
  CONSTRAINT schedule_attendees_student_no_overlap EXCLUDE USING gist (
    student_id WITH =, tstzrange(start_time, end_time) WITH &&) WHERE (active)
);
CREATE INDEX idx_schedule_attendees_student ON schedule_attendees (student_id);

-- ---------------------------------------------------------------- events: outbox, then the sequenced feed
-- A command writes its event here in its own transaction; the EventSequencer moves committed rows to
-- activity_feed, numbering them in the order they become visible, and publishes them.
CREATE TABLE event_outbox (
  seq         bigserial PRIMARY KEY,
  event_type  text        NOT NULL,
  actor_id    bigint,
  actor_role  text,
  actor_name  text,
  target_type text        NOT NULL,
  target_id   bigint      NOT NULL,
  data        jsonb       NOT NULL DEFAULT '{}',
  rooms       text[]      NOT NULL,
  notify      jsonb       NOT NULL DEFAULT '[]', -- [{userId, title, body}] notifications this event causes
  occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE activity_feed (
  id           bigint PRIMARY KEY, -- max(id)+1.. under the sequencer's advisory lock: increases in visibility order
  event_type   text        NOT NULL CHECK (event_type IN (
    'student:registered', 'entry:created', 'entry:statusChanged', 'comment:added', 'task:assigned',
    'schedule:created', 'schedule:updated')),
  actor_id     bigint,
  actor_role   text,
  actor_name   text,
  target_type  text        NOT NULL,
  target_id    bigint      NOT NULL,
  data         jsonb       NOT NULL DEFAULT '{}',
  rooms        text[]      NOT NULL,
  created_at   timestamptz NOT NULL, -- when it happened (the envelope's occurredAt)
  stamped_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz           -- null until pushed to the bus; the relay retries those
);
CREATE INDEX "idx_activity_feed_eventType" ON activity_feed (event_type);
CREATE INDEX "idx_activity_feed_createdAt" ON activity_feed (created_at);
CREATE INDEX idx_activity_feed_rooms ON activity_feed USING gin (rooms);
CREATE INDEX idx_activity_feed_unpublished ON activity_feed (id) WHERE published_at IS NULL;

-- ---------------------------------------------------------------- notifications
CREATE TABLE notifications (
  id         bigserial PRIMARY KEY,
  user_id    bigint      NOT NULL REFERENCES users (id),
  type       text        NOT NULL,
  title      text        NOT NULL,
  body       text        NOT NULL DEFAULT '',
  event_id   bigint REFERENCES activity_feed (id),
  read_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_notifications_user ON notifications (user_id, id DESC);
CREATE INDEX idx_notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- ---------------------------------------------------------------- audit trail (append-only)
CREATE TABLE audit_logs (
  id          bigserial PRIMARY KEY,
  entity_type text        NOT NULL,
  entity_id   bigint,
  action      text        NOT NULL,
  actor_id    bigint,
  actor_role  text,
  old_value   jsonb,
  new_value   jsonb,
  detail      jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "idx_audit_logs_entityId" ON audit_logs (entity_id);
CREATE INDEX idx_audit_logs_entity ON audit_logs (entity_type, entity_id, id DESC);
CREATE INDEX idx_audit_logs_created ON audit_logs (id DESC);

CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_logs_no_update BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();

-- ---------------------------------------------------------------- idempotent POSTs
CREATE TABLE idempotency_keys (
  user_id      bigint      NOT NULL REFERENCES users (id),
  key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_hash text        NOT NULL,
  status_code  int         NOT NULL,
  response     jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
