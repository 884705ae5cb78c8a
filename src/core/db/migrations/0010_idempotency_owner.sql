-- The process holding a pending Idempotency-Key claim: it renews the claim's short lease while its request runs,
-- so a claim whose process died frees the key within one lease (it held the key for 5 minutes before).
ALTER TABLE "idempotency_keys" ADD COLUMN "owner" text;
