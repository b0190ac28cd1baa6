-- The HTTP request (X-Request-Id) each audit row was written for: an operator follows one request from the access
-- log through every store's log lines to the rows it left (docs/operations.md). Null for rows of no request
-- (start-up tasks, rows older than this column).
ALTER TABLE audit_logs ADD COLUMN request_id text;
