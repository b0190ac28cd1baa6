-- Hardening (issue 9): sign-in throttling shared by every node, and cohort invitations.

-- ---------------------------------------------------------------- sign-in and sign-up throttling
-- One row per account (lower-cased email), per client address, and per address for sign-ups: failures counted in
-- a window; past the limit the subject is locked until locked_until (429 rate_limited + Retry-After).
CREATE TABLE sign_in_throttle (
  scope        text        NOT NULL CHECK (scope IN ('account', 'address', 'signup')),
  subject      text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  failures     int         NOT NULL CHECK (failures >= 0),
  window_start timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  PRIMARY KEY (scope, subject)
);
CREATE INDEX idx_sign_in_throttle_window ON sign_in_throttle (window_start);

-- ---------------------------------------------------------------- cohort invitations
-- Only the SHA-256 of a code is kept: the table (a backup, a log of it) does not hold usable codes. The use
-- limit is a constraint, so two registrations racing for the last use cannot both win.
CREATE TABLE invitations (
  id          bigserial   PRIMARY KEY,
  code_hash   text        NOT NULL UNIQUE,
  cohort_id   bigint      NOT NULL REFERENCES cohorts (id),
  created_by  bigint      NOT NULL REFERENCES users (id),
  max_uses    int         NOT NULL CHECK (max_uses BETWEEN 1 AND 1000),
  uses        int         NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_invitations_cohort ON invitations (cohort_id, id DESC);
