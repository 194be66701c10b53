-- Intyg issuer service: initial schema. Runs unchanged on PGlite and PostgreSQL.
-- Personal data lives only in credentials.document and credentials.recipient (and in jobs.input while a bulk
-- job waits); erasure sets them to NULL and keeps the hashes and ids that revocation needs.

CREATE TABLE organisations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  chain_organisation_id integer NOT NULL CHECK (chain_organisation_id > 0),
  profile jsonb NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'issuer')),
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX api_keys_organisation ON api_keys (organisation_id, created_at);

CREATE TABLE events (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  parent_id uuid REFERENCES events (id),
  kind text NOT NULL CHECK (kind IN ('event', 'course')),
  status text NOT NULL CHECK (status IN ('registering', 'registered', 'failed')),
  chain_event_id text,
  metadata_hash text NOT NULL,
  details jsonb NOT NULL,
  tx_hash text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX events_organisation ON events (organisation_id, created_at, id);
CREATE INDEX events_parent ON events (parent_id);

CREATE TABLE batches (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  event_id uuid NOT NULL REFERENCES events (id),
  chain_event_id text NOT NULL,
  root text NOT NULL UNIQUE,
  size integer NOT NULL CHECK (size > 0),
  valid_until bigint NOT NULL,
  signature text NOT NULL,
  deadline bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('sending', 'anchored', 'failed')),
  tx_hash text,
  block_number bigint,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL,
  anchored_at timestamptz
);
CREATE INDEX batches_sending ON batches (created_at) WHERE status = 'sending';

CREATE TABLE credentials (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  event_id uuid NOT NULL REFERENCES events (id),
  mode text NOT NULL CHECK (mode IN ('batch', 'single')),
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'anchored', 'cancelled', 'failed')),
  commitment text NOT NULL UNIQUE,
  leaf text,
  batch_id uuid REFERENCES batches (id),
  proof jsonb,
  holder_address text,
  valid_until bigint NOT NULL DEFAULT 0,
  document jsonb,
  recipient jsonb,
  holder_token text UNIQUE,
  issue_deadline bigint,
  issue_signature text,
  tx_hash text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  revocation_reason text,
  revocation_status text CHECK (revocation_status IN ('requested', 'confirmed', 'failed')),
  revocation_requested_at timestamptz,
  revoked_at timestamptz,
  revocation_tx_hash text,
  supersedes uuid REFERENCES credentials (id),
  superseded_by uuid REFERENCES credentials (id),
  erased_at timestamptz,
  created_at timestamptz NOT NULL,
  anchored_at timestamptz
);
CREATE INDEX credentials_pending ON credentials (seq) WHERE status = 'pending';
CREATE INDEX credentials_sending ON credentials (seq) WHERE status = 'sending' AND mode = 'single';
CREATE INDEX credentials_organisation ON credentials (organisation_id, seq);
CREATE INDEX credentials_event ON credentials (event_id, seq);
CREATE INDEX credentials_batch ON credentials (batch_id);
CREATE INDEX credentials_revocation ON credentials (seq) WHERE revocation_status = 'requested';

CREATE TABLE idempotency_keys (
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  key text NOT NULL,
  request_hash text NOT NULL,
  response_status integer NOT NULL,
  response_body jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (organisation_id, key)
);

CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  input jsonb,
  result jsonb,
  error jsonb,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX jobs_queued ON jobs (created_at) WHERE status IN ('queued', 'running');
