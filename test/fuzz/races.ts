/**
 * Valid creates and deletes sent several at once: check-then-insert races (two
 * creates of one name, two deletes of one document, one Idempotency-Key claimed
 * twice) only show when the copies interleave, and most on a store that runs
 * statements concurrently (PostgreSQL; PGlite serializes them).
 */
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { bearer } from '../helpers/app';
import { expectHandled, withDeadline } from './support';

export interface RaceTargets {
  corpusName: string;
  activeBuildId: string;
  documentId: string;
  /** A tenant other than the operator's, for keys that may be created freely. */
  tenantName: string;
}

export function racingRequest(targets: RaceTargets): fc.Arbitrary<InjectOptions> {
  const corpusUrl = `/v1/corpora/${encodeURIComponent(targets.corpusName)}`;
  return fc.oneof(
    fc.nat({ max: 5 }).map((n): InjectOptions => ({ method: 'POST', url: '/v1/corpora', payload: { name: `race ${n}` } })),
    fc.nat({ max: 5 }).map((n): InjectOptions => ({ method: 'POST', url: '/v1/admin/tenants', payload: { name: `race-tenant-${n}` } })),
    fc.constant<InjectOptions>({ method: 'POST', url: '/v1/admin/keys', payload: { name: 'race', scopes: ['query'], tenant: targets.tenantName } }),
    fc.constant<InjectOptions>({ method: 'POST', url: `${corpusUrl}/builds`, payload: {} }),
    fc.constant<InjectOptions>({ method: 'POST', url: `/v1/builds/${targets.activeBuildId}/promote` }),
    fc.constant<InjectOptions>({ method: 'POST', url: `${corpusUrl}/canaries/run` }),
    fc.constant<InjectOptions>({ method: 'POST', url: `${corpusUrl}/canaries`, payload: { query: 'reset', expect: { chunkContains: 'reset' } } }),
    fc.double({ min: 0, max: 1, noNaN: true }).map((threshold): InjectOptions => ({ method: 'PATCH', url: `${corpusUrl}/canary-settings`, payload: { threshold } })),
    fc.constant<InjectOptions>({ method: 'POST', url: `${corpusUrl}/answers`, payload: { question: 'How do I reset the router?' } }),
    fc.constant<InjectOptions>({ method: 'POST', url: `${corpusUrl}/search`, payload: { query: 'reset the router', k: 5 } }),
    fc.constant<InjectOptions>({ method: 'DELETE', url: `/v1/documents/${targets.documentId}` }),
  );
}

/** Property: 1-3 valid requests, each sent 2-4 times at once (sometimes under one Idempotency-Key); no copy gets a 5xx or hangs. */
export function raceProperty(app: FastifyInstance, adminKey: string, targets: RaceTargets) {
  const race = fc.tuple(fc.array(racingRequest(targets), { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 4 }), fc.option(fc.uuid(), { freq: 2 }));
  return fc.asyncProperty(race, async ([requests, count, key]) => {
    const all = requests.flatMap((options) => Array.from({ length: count }, () => ({ ...options, headers: { ...bearer(adminKey), ...(key === null ? {} : { 'idempotency-key': `race-${key}` }) } })));
    // A retry waits up to 10 s for a first request with its Idempotency-Key still running: the deadline must be longer.
    const responses = await Promise.all(all.map((options) => withDeadline(app.inject(options), `${options.method} ${String(options.url)}`, 15_000)));
    responses.forEach((response, index) => expectHandled(response, `${count} at once: ${all[index]?.method} ${String(all[index]?.url)} key ${String(key)}`));
  });
}
