-- A credential's search terms (the keyed hashes of its holder's name, e-mail address and reference) move out of
-- its row into a table of their own. The row changes several times in a credential's life (attached to a batch,
-- anchored, revoked, fetched by its holder), and each change wrote a new version of it into every index of the
-- table, the inverted index of its dozen or more terms among them: most of what recording a batch cost. Here
-- the terms are written once, when the credential is issued (or its personal data first encrypted), and deleted
-- when it is erased. The column goes too: a replica of an earlier version still running would fail to issue or
-- erase (loudly) rather than write hashes this version neither finds nor erases; stop the old replicas first.
-- Nothing else reads or writes credentials meanwhile: a row copied and then changed would be left behind.
LOCK TABLE credentials IN ACCESS EXCLUSIVE MODE;
CREATE TABLE credential_search (
  credential_id uuid PRIMARY KEY REFERENCES credentials (id),
  terms text[] NOT NULL
);
INSERT INTO credential_search (credential_id, terms)
  SELECT id, search_terms FROM credentials WHERE search_terms IS NOT NULL AND erased_at IS NULL;
CREATE INDEX credential_search_terms ON credential_search USING gin (terms);
DROP INDEX credentials_search;
ALTER TABLE credentials DROP COLUMN search_terms;
