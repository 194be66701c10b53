-- E-mail delivery of credentials to their holders, and the bulk job a credential came from.
-- A delivery is one request to e-mail one credential (an import asking for it, or "send again"). Its row is the
-- queue: the worker claims a due row by setting `sending` with a lease, sends, and marks it `sent`; a row left
-- `sending` past its lease (a crash mid-send) is sent again with the same Message-ID, fixed when the row was
-- queued, so that a receiving server can recognise the repeat. The address is read from the credential at send
-- time and never stored here, so erasing the credential leaves nothing to send to.
CREATE TABLE deliveries (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  credential_id uuid NOT NULL REFERENCES credentials (id),
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  lang text NOT NULL CHECK (lang IN ('sv', 'en')),
  message_id text NOT NULL UNIQUE,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX deliveries_credential ON deliveries (credential_id, created_at);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('queued', 'sending');

ALTER TABLE credentials ADD COLUMN job_id uuid REFERENCES jobs (id);
CREATE INDEX credentials_job ON credentials (job_id) WHERE job_id IS NOT NULL;
