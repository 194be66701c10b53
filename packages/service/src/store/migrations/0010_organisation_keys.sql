-- Each organisation's own keys: signing keys (sign credentials and send the organisation's transactions) and,
-- when the service administers the organisation on chain, its admin key (authorises and removes signing keys).
-- A key the service holds is stored only encrypted: the private key under a data key of its own, the data key
-- sealed by the key-encryption key (INTYG_KEK), each bound to the key's row. A key the organisation keeps
-- itself ("external") has only its address here.
CREATE TABLE organisation_keys (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  role text NOT NULL CHECK (role IN ('signing', 'admin')),
  address text NOT NULL,
  custody text NOT NULL CHECK (custody IN ('service', 'external')),
  sealed_data_key text,
  encrypted_key text,
  -- created: generated, not yet on chain; authorising: its authorisation is being sent; active: authorised
  -- (its window may not have begun); retired: its window ended by choice; compromised: removed at once.
  status text NOT NULL CHECK (status IN ('created', 'authorising', 'active', 'retired', 'compromised')),
  is_current boolean NOT NULL DEFAULT false,
  valid_from bigint,
  valid_until bigint,
  authorisation_tx_hash text,
  removal_tx_hash text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (custody = 'external' OR (sealed_data_key IS NOT NULL AND encrypted_key IS NOT NULL)
         OR status IN ('retired', 'compromised'))
);
CREATE UNIQUE INDEX organisation_keys_address ON organisation_keys (address);
CREATE UNIQUE INDEX organisation_keys_current ON organisation_keys (organisation_id, role) WHERE is_current;

-- Who did what to which key, and with which transaction: appended, never changed.
CREATE TABLE key_audit (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  key_address text NOT NULL,
  action text NOT NULL,
  actor text NOT NULL,
  tx_hash text,
  details jsonb,
  at timestamptz NOT NULL
);
CREATE INDEX key_audit_organisation ON key_audit (organisation_id, at);

-- Which key signed a credential (a single's issue request, a batch member's root) and when: what a key
-- compromise must find.
ALTER TABLE credentials ADD COLUMN signing_key text;
ALTER TABLE credentials ADD COLUMN signed_at timestamptz;
CREATE INDEX credentials_signing_key ON credentials (organisation_id, signing_key, signed_at)
  WHERE signing_key IS NOT NULL;

-- The key that signed a batch's root is the one that must send it (the registry records the sender's key).
ALTER TABLE batches ADD COLUMN signing_key text;

-- Authorising and removing an organisation's keys are tracked chain operations like every other transaction.
ALTER TABLE chain_operations DROP CONSTRAINT chain_operations_kind_check;
ALTER TABLE chain_operations ADD CONSTRAINT chain_operations_kind_check
  CHECK (kind IN ('batch', 'single', 'revocation', 'supersession', 'event-registration', 'event-update',
                  'key-authorisation', 'key-removal'));
