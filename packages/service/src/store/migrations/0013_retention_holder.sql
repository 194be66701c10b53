-- Retention that respects the holder: when the holder first fetched their own copy of the credential (the
-- credential file, the PDF, a share link or a wallet claim voucher through their holder link). A time only,
-- no personal data: the retention rule erases a fetched credential after the organisation's retention, and
-- keeps one nobody has fetched until its longer limit, so erasure does not take away the holder's only copy.
ALTER TABLE credentials ADD COLUMN holder_fetched_at timestamptz;

-- How long a credential its holder has not fetched is kept after the event ends (NULL: the service's default).
ALTER TABLE organisations ADD COLUMN retention_unclaimed_days integer CHECK (retention_unclaimed_days BETWEEN 1 AND 3650);

-- Rows written before personal data was encrypted are encrypted by the worker in the background, a batch at a
-- time from the oldest: this index finds the next batch without reading the rows already done.
CREATE INDEX credentials_legacy_plaintext ON credentials (seq)
  WHERE document IS NOT NULL OR recipient IS NOT NULL OR holder_token IS NOT NULL;

-- The organiser's search also finds the beginning (3 to 12 characters) of a word of a name. Rows stored before
-- have no such keyed hashes yet (false); the worker adds them a batch at a time. Rows stored from now on have
-- them from the start (the default becomes true once the existing rows are marked).
ALTER TABLE credentials ADD COLUMN search_prefixes boolean NOT NULL DEFAULT false;
ALTER TABLE credentials ALTER COLUMN search_prefixes SET DEFAULT true;
CREATE INDEX credentials_search_prefixes ON credentials (seq)
  WHERE NOT search_prefixes AND personal_enc IS NOT NULL AND erased_at IS NULL;
