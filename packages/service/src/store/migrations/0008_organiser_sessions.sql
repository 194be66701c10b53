-- Browser sessions of the organiser web app (/organiser). The session id lives only in the HttpOnly cookie; the
-- database keeps its SHA-256, so a copy of this table cannot be replayed as a cookie. A session acts as the API key
-- it was opened with: revoking the key ends its sessions at their next request. `csrf_token` is sent back by the
-- page in a header on every write; it is not a secret equivalent to the cookie (it alone authenticates nothing).
CREATE TABLE organiser_sessions (
  id_hash text PRIMARY KEY,
  api_key_id uuid NOT NULL REFERENCES api_keys (id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX organiser_sessions_expires ON organiser_sessions (expires_at);
