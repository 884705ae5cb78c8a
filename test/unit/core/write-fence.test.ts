import { describe, expect, it } from 'vitest';
import { movesWriteFence } from '../../../src/core/db/client';

describe('movesWriteFence', () => {
  it('leaves reads and the per-answer records alone', () => {
    for (const text of [
      'select "id" from "corpora" where "id" = $1',
      '  SELECT version FROM build_term_stats',
      'insert into "answer_traces" ("id", "trace") values ($1, $2)',
      'insert into "tenant_usage" ("tenant_id") values ($1) on conflict do update set tokens = 1',
      'insert into "answer_cache" ("key") values ($1)',
      'update "api_keys" set "last_used_at" = $1 where "id" = $2',
      'delete from "answer_cache" where "expires_at" < $1',
    ]) {
      expect(movesWriteFence(text), text).toBe(false);
    }
  });

  it('moves on every other statement, whatever it is', () => {
    for (const text of [
      'insert into "chunks" ("id") values ($1)',
      'update "corpora" set "generation" = "generation" + 1',
      'delete from "documents" where "id" = $1',
      'WITH gone AS (DELETE FROM build_chunks RETURNING 1) SELECT count(*) FROM gone',
      'BEGIN',
      'insert into "answer_traces_archive" ("id") values ($1)',
      'update answer_cachex set x = 1',
      'TRUNCATE answer_cache',
    ]) {
      expect(movesWriteFence(text), text).toBe(true);
    }
  });
});
