-- Requests per API key per fixed rate-limit window, shared by every replica on this database. A row is counted
-- up atomically (INSERT … ON CONFLICT DO UPDATE); windows past `expires_at` are deleted by the worker's
-- housekeeping. No foreign key: keys are never deleted, and a counter must not lock the api_keys row.
CREATE TABLE rate_limits (
  api_key_id text NOT NULL,
  window_start timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (api_key_id, window_start)
);
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);
