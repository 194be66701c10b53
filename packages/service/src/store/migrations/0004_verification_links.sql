-- Short verification links: an unguessable token naming one credential and the claims its holder hid, for QR
-- codes too small for the whole credential. The link serves only the disclosed copy. The holder (or the
-- organiser) may revoke a link; erasing the credential deletes its links.
CREATE TABLE verification_links (
  token text PRIMARY KEY,
  credential_id uuid NOT NULL REFERENCES credentials (id),
  hidden jsonb NOT NULL,
  hidden_key text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX verification_links_credential ON verification_links (credential_id, hidden_key);
