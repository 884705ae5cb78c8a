import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/core/db/client';
import { loggableError } from '../../../src/core/loggable-error';

describe('loggableError', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
  });
  afterAll(async () => store?.close());

  it("keeps a failed statement's parameters (document text, titles, questions) out of what is logged, but not the driver's code", async () => {
    const secret = 'Confidential: the refund threshold is 4,200 EUR';
    const thrown = await store.db.execute(sql`SELECT ${secret}::int AS n`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Error);
    // The raw error does carry it: that is what would have been logged.
    expect(`${(thrown as Error).message}\n${(thrown as Error).stack}`).toContain(secret);
    const logged = loggableError(thrown);
    expect(JSON.stringify(logged)).not.toContain('refund threshold');
    expect(logged.message).toBe('failed query (statement and parameters not logged)');
    // PGlite's own error underneath: invalid_text_representation, with the server's message.
    expect(logged.causes?.[0]).toMatchObject({ code: '22P02' });
    expect(logged.stack).toBeTruthy();
  });

  it('keeps an ordinary error whole (bounded) and says what a non-Error was', () => {
    const logged = loggableError(new TypeError('cannot read properties of undefined', { cause: new Error('inner') }));
    expect(logged).toMatchObject({ type: 'TypeError', message: 'cannot read properties of undefined', causes: [{ type: 'Error', message: 'inner' }] });
    expect(loggableError(new Error('x'.repeat(2_000))).message).toHaveLength(500);
    expect(loggableError('a string')).toEqual({ type: 'string', message: 'non-Error value thrown' });
  });
});
