-- What anchoring in a batch adds to a credential (its anchor section with the Merkle proof, and the issuer proof
-- over the batch root), as the JSON text those sections have in the document. None of it is personal data, so
-- the worker records it beside the encrypted document instead of decrypting, changing and encrypting each
-- member again; reading a credential puts the sections back in place. Rows anchored before this migration keep
-- them inside their encrypted document and leave this NULL.
ALTER TABLE credentials ADD COLUMN batch_sections text;
