-- Every transaction the service sends, as one tracked chain operation: what it is for (kind and subject), every
-- hash ever signed for it (appended, never replaced: the first send, its fee-bumped replacements and any later
-- send with a new nonce; any of them may be the one mined), how it stands, and once settled the hash the chain
-- mined with its block number. The batch, credential and event rows no longer keep hashes of their own: what
-- they show is read from here, so a hash the chain never mined is never shown as a settled transaction.
CREATE TABLE chain_operations (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('batch', 'single', 'revocation', 'supersession', 'event-registration',
                                     'event-update')),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  subject_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('sending', 'done', 'failed')),
  nonce integer,
  tx_hashes jsonb NOT NULL DEFAULT '[]'::jsonb,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  mined_tx_hash text,
  block_number bigint,
  payload jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX chain_operations_one ON chain_operations (subject_id, kind)
  WHERE kind IN ('batch', 'single', 'event-registration');
CREATE UNIQUE INDEX chain_operations_one_revocation ON chain_operations (subject_id)
  WHERE kind IN ('revocation', 'supersession');
CREATE INDEX chain_operations_subject ON chain_operations (subject_id, created_at);
CREATE INDEX chain_operations_sending ON chain_operations (kind, created_at) WHERE status = 'sending';

-- What was in flight or settled before: carried over with its hashes. A settled row's hash was the newest sent,
-- not necessarily the one mined; it is kept as the mined one because nothing better is known.
INSERT INTO chain_operations (id, kind, organisation_id, subject_id, status, tx_hashes, attempts, last_error,
                              mined_tx_hash, block_number, created_at, updated_at)
SELECT gen_random_uuid(), 'batch', organisation_id, id,
       CASE status WHEN 'sending' THEN 'sending' WHEN 'anchored' THEN 'done' ELSE 'failed' END,
       tx_hashes, attempts, last_error, CASE WHEN status = 'anchored' THEN tx_hash END, block_number,
       created_at, COALESCE(anchored_at, created_at)
  FROM batches;
INSERT INTO chain_operations (id, kind, organisation_id, subject_id, status, tx_hashes, attempts, last_error,
                              mined_tx_hash, created_at, updated_at)
SELECT gen_random_uuid(), 'single', organisation_id, id,
       CASE status WHEN 'sending' THEN 'sending' WHEN 'anchored' THEN 'done' ELSE 'failed' END,
       tx_hashes, attempts, last_error, CASE WHEN status = 'anchored' THEN tx_hash END,
       created_at, COALESCE(anchored_at, created_at)
  FROM credentials WHERE mode = 'single' AND (status = 'sending' OR tx_hash IS NOT NULL);
INSERT INTO chain_operations (id, kind, organisation_id, subject_id, status, tx_hashes, attempts, last_error,
                              mined_tx_hash, created_at, updated_at)
SELECT gen_random_uuid(), CASE WHEN superseded_by IS NULL THEN 'revocation' ELSE 'supersession' END,
       organisation_id, id,
       CASE revocation_status WHEN 'requested' THEN 'sending' WHEN 'confirmed' THEN 'done' ELSE 'failed' END,
       revocation_tx_hashes, 1, CASE WHEN revocation_status = 'failed' THEN last_error END,
       CASE WHEN revocation_status = 'confirmed' THEN revocation_tx_hash END,
       COALESCE(revocation_requested_at, created_at), COALESCE(revoked_at, revocation_requested_at, created_at)
  FROM credentials WHERE revocation_tx_hash IS NOT NULL;
INSERT INTO chain_operations (id, kind, organisation_id, subject_id, status, tx_hashes, attempts, mined_tx_hash,
                              created_at, updated_at)
SELECT gen_random_uuid(), 'event-registration', organisation_id, id,
       CASE status WHEN 'registering' THEN 'sending' WHEN 'registered' THEN 'done' ELSE 'failed' END,
       jsonb_build_array(tx_hash), 1, CASE WHEN status = 'registered' THEN tx_hash END, created_at, updated_at
  FROM events WHERE tx_hash IS NOT NULL;

ALTER TABLE batches DROP COLUMN tx_hash;
ALTER TABLE batches DROP COLUMN tx_hashes;
ALTER TABLE batches DROP COLUMN block_number;
ALTER TABLE batches DROP COLUMN attempts;
ALTER TABLE batches DROP COLUMN last_error;
ALTER TABLE credentials DROP COLUMN tx_hash;
ALTER TABLE credentials DROP COLUMN tx_hashes;
ALTER TABLE credentials DROP COLUMN attempts;
ALTER TABLE credentials DROP COLUMN revocation_tx_hash;
ALTER TABLE credentials DROP COLUMN revocation_tx_hashes;
ALTER TABLE events DROP COLUMN tx_hash
