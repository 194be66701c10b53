-- Every transaction sent with the current nonce of a batch, a single credential or a revocation: the first send
-- and the replacements that raised its fees when it stayed pending, oldest first. Any one of them may be mined,
-- so the worker reconciles with all of them. `tx_hash` / `revocation_tx_hash` stay the newest (or the one mined).
ALTER TABLE batches ADD COLUMN tx_hashes jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE credentials ADD COLUMN tx_hashes jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE credentials ADD COLUMN revocation_tx_hashes jsonb NOT NULL DEFAULT '[]'::jsonb;
UPDATE batches SET tx_hashes = jsonb_build_array(tx_hash) WHERE tx_hash IS NOT NULL;
UPDATE credentials SET tx_hashes = jsonb_build_array(tx_hash) WHERE tx_hash IS NOT NULL;
UPDATE credentials SET revocation_tx_hashes = jsonb_build_array(revocation_tx_hash)
 WHERE revocation_tx_hash IS NOT NULL;
