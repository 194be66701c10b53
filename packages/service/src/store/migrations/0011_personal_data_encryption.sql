-- Personal data at rest is encrypted with a data key per credential (per bulk job, per stored bulk response);
-- the data keys live sealed in the key vault, a database of its own, so that destroying one makes every copy of
-- the ciphertext here unreadable: dead tuples, WAL, replicas and backups of this database included.
-- The plaintext columns (document, recipient, holder_token, jobs.input/result, idempotency response_body) are
-- kept only for rows written before this migration: the service encrypts those when it opens the store and sets
-- the plaintext to NULL (see docs/privacy.md for what that leaves in old backups).
-- The document, the recipient data and the holder link, encrypted together (one cipher per credential).
ALTER TABLE credentials ADD COLUMN personal_enc text;
ALTER TABLE credentials ADD COLUMN holder_token_hash text UNIQUE;
-- What the service must know without the data key: whether an e-mail can be sent, and in which language.
ALTER TABLE credentials ADD COLUMN has_email boolean NOT NULL DEFAULT false;
ALTER TABLE credentials ADD COLUMN delivery_lang text CHECK (delivery_lang IN ('sv', 'en'));
UPDATE credentials SET has_email = (jsonb_typeof(document->'credentialSubject'->'email') = 'string'),
                       delivery_lang = CASE WHEN recipient->>'lang' IN ('sv', 'en') THEN recipient->>'lang' END
 WHERE document IS NOT NULL OR recipient IS NOT NULL;

-- The organiser's search: keyed hashes (HMAC) of the name, each word of it, the e-mail and the reference.
ALTER TABLE credentials ADD COLUMN search_terms text[];
CREATE INDEX credentials_search ON credentials USING gin (search_terms);

ALTER TABLE jobs ADD COLUMN input_enc text;
ALTER TABLE jobs ADD COLUMN result_enc text;
ALTER TABLE idempotency_keys ADD COLUMN response_enc text;
ALTER TABLE idempotency_keys ALTER COLUMN response_body DROP NOT NULL;
-- The credentials a stored response names (ids only), so that erasing one can re-key the response without it.
ALTER TABLE idempotency_keys ADD COLUMN credential_ids jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Retention: personal data is erased this many days after the event ends (NULL: the service's default).
ALTER TABLE organisations ADD COLUMN retention_days integer CHECK (retention_days BETWEEN 1 AND 3650);

-- Proof of erasure: who erased which credential when, and what was destroyed. No personal data.
CREATE TABLE erasure_receipts (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  credential_id uuid NOT NULL UNIQUE REFERENCES credentials (id),
  reason text NOT NULL CHECK (reason IN ('request', 'retention')),
  erased_by text NOT NULL,
  erased_at timestamptz NOT NULL,
  destroyed jsonb NOT NULL
);
CREATE INDEX erasure_receipts_organisation ON erasure_receipts (organisation_id, erased_at, id);
