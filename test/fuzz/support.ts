/**
 * Shared pieces of the HTTP API fuzzers: run settings, the per-request deadline,
 * the response property every route must keep, and fast-check arbitraries for
 * hostile input (some derived from a route's own zod schema).
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ERROR_CATALOG, isErrorCode } from '../../src/core/errors';

/**
 * Repeatable by default (CI runs the same inputs every time); FUZZ_SEED and
 * FUZZ_RUNS explore further. fast-check prints the seed and the shrunk
 * counterexample of a failure, which FUZZ_SEED replays.
 */
export function fuzzSettings(defaultRuns: number): { seed: number; numRuns: number } {
  const seed = process.env.FUZZ_SEED === undefined ? 20261123 : Number(process.env.FUZZ_SEED);
  const runs = process.env.FUZZ_RUNS === undefined ? defaultRuns : Number(process.env.FUZZ_RUNS);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${process.env.FUZZ_SEED}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env.FUZZ_RUNS}`);
  return { seed, numRuns: runs };
}

/** A hung request must fail the property instead of the whole test timing out with no counterexample. */
export const REQUEST_TIMEOUT_MS = Number(process.env.FUZZ_REQUEST_TIMEOUT_MS ?? 5_000);

export async function withDeadline<T>(work: Promise<T>, what: string, ms = REQUEST_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not complete in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error body every failure must have (README: `{"error": {"code", "message", "details?"}}`). */
export function expectErrorBody(response: LightMyRequestResponse, what: string): string {
  const type = String(response.headers['content-type'] ?? '');
  expect(type, `${what}: an error must be JSON (status ${response.statusCode}, body ${response.body.slice(0, 300)})`).toMatch(/^application\/json/);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new Error(`${what}: error body is not JSON: ${response.body.slice(0, 300)}`);
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  expect(error, `${what}: body ${response.body.slice(0, 300)}`).toBeTypeOf('object');
  expect(error?.message, `${what}: body ${response.body.slice(0, 300)}`).toBeTypeOf('string');
  const code = String(error?.code);
  expect(isErrorCode(code), `${what}: code ${code} is not in ERROR_CATALOG`).toBe(true);
  // The status is the catalog's, except BUDGET_EXCEEDED which is documented as 413 or 429.
  if (isErrorCode(code) && code !== 'BUDGET_EXCEEDED') expect(response.statusCode, `${what}: status of ${code}`).toBe(ERROR_CATALOG[code].status);
  return code;
}

/**
 * The UI's index answers 503 with an HTML page while `npm run build:ui` has not
 * run (as in the test checkout): a deliberate, documented state of the
 * deployment, not a failure of request handling, so it is the one 5xx allowed.
 */
export function isUiNotBuiltPage(response: LightMyRequestResponse): boolean {
  return response.statusCode === 503 && String(response.headers['content-type']).startsWith('text/html') && response.body.includes('has not been built');
}

/**
 * A streamed answer has already sent 200 when it fails: its failure is an SSE
 * `error` event, which must carry a catalogued code that is not a server error
 * (an INTERNAL there is a 500 in disguise).
 */
function expectStreamHandled(response: LightMyRequestResponse, what: string): string | undefined {
  let code: string | undefined;
  for (const block of response.body.split('\n\n')) {
    if (!/^event: error$/mu.test(block)) continue;
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    const error = JSON.parse(data) as { code?: unknown; message?: unknown };
    code = String(error.code);
    expect(isErrorCode(code), `${what}: SSE error code ${code} is not in ERROR_CATALOG`).toBe(true);
    expect(error.message, `${what}: SSE error ${data.slice(0, 300)}`).toBeTypeOf('string');
    if (isErrorCode(code)) expect(ERROR_CATALOG[code].status, `${what}: SSE error ${data.slice(0, 300)}`).toBeLessThan(500);
  }
  return code;
}

/** Never a 5xx; every 4xx a catalogued JSON error; no server error inside a stream either. Returns the error code, if any. */
export function expectHandled(response: LightMyRequestResponse, what: string): string | undefined {
  if (isUiNotBuiltPage(response)) return undefined;
  expect(response.statusCode, `${what}: ${response.body.slice(0, 500)}`).toBeLessThan(500);
  if (response.statusCode >= 400) return expectErrorBody(response, what);
  if (String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) return expectStreamHandled(response, what);
  return undefined;
}

// ---------------------------------------------------------------- strings

const CONTROL = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const C1_AND_FORMAT = fc.constantFrom('\u007f', '\u0085', '\u200b', '\u200e', '\u202e', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff');
const LONE_SURROGATE = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
const TRICKY = fc.constantFrom('..', '../', '%', '%00', '%zz', '%c0%ae', '\\', '/', '?', '#', '&', '=', '"', "'", '<script>', '${x}', '{{x}}', 'NaN', '-0', 'null', '__proto__', 'constructor', ' ');

/** Strings made of the characters that break naive code: controls, NUL, lone surrogates, bidi, path and URL syntax. */
export const nastyString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }, CONTROL, C1_AND_FORMAT, LONE_SURROGATE, TRICKY), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** Large strings built by repetition: generating a megabyte character by character is slow. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 50_000, max: 1_200_000 }), fc.oneof(fc.constantFrom('a', 'é', '\u0000', '😀', '\ud800', ' '), nastyString.filter((s) => s.length > 0)))
  .map(([size, unit]) => unit.repeat(Math.max(1, Math.ceil(size / unit.length))).slice(0, size));

/** Values of the wrong kind for any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1.5, -0, 2 ** 53, 2 ** 64, 1e308, -1e308, Number.MIN_VALUE, true, false, null, [], {}, '', ' ') },
  { weight: 1, arbitrary: fc.constantFrom({ __proto__: { admin: true } }, JSON.parse('{"__proto__":{"x":1}}') as unknown, { constructor: { prototype: { x: 1 } } }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: hugeString },
);

// ---------------------------------------------------------------- zod schemas

interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string } };
  minLength?: number | null;
  maxLength?: number | null;
  minValue?: number | null;
  maxValue?: number | null;
  format?: string | null;
  isInt?: boolean;
}

export function isZodSchema(value: unknown): value is ZodLike {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** Top-level keys of an object schema (through default/optional wrappers), or undefined. */
export function objectShape(schema: unknown): Record<string, ZodLike> | undefined {
  let current = schema;
  for (let depth = 0; depth < 5 && isZodSchema(current); depth += 1) {
    const def = current._zod.def;
    if (def.type === 'object') return def.shape as Record<string, ZodLike>;
    current = def.innerType;
  }
  return undefined;
}

export interface Pools {
  /** Real values per path parameter name, so some requests get past the lookups into the handlers. */
  params: Record<string, string[]>;
  uuids: string[];
}

/**
 * Values that mostly satisfy the schema (so the request reaches the handler and the
 * store) with odd content: unicode, controls, edges of the ranges. Each field is
 * sometimes swapped for a hostile value instead.
 */
export function nearValid(schema: unknown, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (!isZodSchema(schema) || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return nearValid(def.innerType, pools, depth + 1);
    case 'pipe':
      return nearValid(def.in, pools, depth + 1);
    case 'string': {
      if (schema.format === 'uuid' || schema.format === 'guid') return fc.oneof(fc.constantFrom(...pools.uuids), fc.uuid());
      // Local, refused-at-once targets only: a fuzzed webhook must never reach the network.
      if (schema.format === 'url') return fc.constantFrom('http://127.0.0.1:9/hook', 'https://127.0.0.1:9/x?y=%00', 'file:///etc/passwd', 'javascript:alert(1)', 'http://[::1]:9/');
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 64, 4096);
      return fc.oneof(
        // Odd but storable text (the app refuses NUL and unpaired surrogates up front) reaches the handler.
        { weight: 3, arbitrary: nastyString.map((text) => text.replaceAll('\u0000', '').replace(/[\ud800-\udfff]/gu, '')) },
        { weight: 1, arbitrary: nastyString },
        { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 40) }) },
        { weight: 1, arbitrary: fc.constantFrom('x'.repeat(Math.max(min, 1)), 'x'.repeat(max), 'x'.repeat(max + 1), ' '.repeat(Math.max(min, 1)), '\u0000'.repeat(Math.max(min, 1)), `0 3 * * *`, 'UTC', 'Europe/Paris', 'local-hash') },
      );
    }
    case 'number': {
      const min = Number.isFinite(schema.minValue) ? (schema.minValue as number) : -1e6;
      const max = Number.isFinite(schema.maxValue) ? (schema.maxValue as number) : 1e6;
      const inRange = schema.isInt === false ? fc.double({ min, max, noNaN: true }) : fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      return fc.oneof(
        { weight: 6, arbitrary: inRange },
        { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, min, max, 0.5, -0, 2 ** 31, 2 ** 63) },
        { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
        ...(def.coerce ? [{ weight: 1, arbitrary: fc.constantFrom('1', ' 2 ', '1e3', '0x10', '', 'abc', 'Infinity') }] : []),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'array':
      return fc.array(fieldValue(def.element, pools, depth + 1), { maxLength: 4 });
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, fieldValue(field, pools, depth + 1)]));
      const required = Object.entries(shape)
        .filter(([, field]) => isZodSchema(field) && !['optional', 'default', 'prefault'].includes(field._zod.def.type))
        .map(([key]) => key);
      const record = fc.oneof({ weight: 4, arbitrary: fc.record(fields, { requiredKeys: required }) }, { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) });
      // An unknown key fails a strict schema at once: only now and then, so most bodies reach the handler.
      const extra = fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(nastyString, hostileValue, { maxKeys: 2 }) });
      return fc.tuple(record, extra).map(([values, extras]) => ({ ...extras, ...values }));
    }
    case 'record':
      return fc.dictionary(nastyString, fieldValue(def.valueType, pools, depth + 1), { maxKeys: 3 });
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((option) => nearValid(option, pools, depth + 1)));
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function fieldValue(schema: unknown, pools: Pools, depth: number): fc.Arbitrary<unknown> {
  // Mostly the right kind, so that many bodies pass validation and exercise the handler; now and then the wrong one.
  return fc.oneof({ weight: 8, arbitrary: nearValid(schema, pools, depth) }, { weight: 1, arbitrary: hostileValue });
}

/** Path parameter values: real ids and names, and junk that is not a UUID, huge, unicode, traversal, bad percent-encoding. */
export function pathParam(name: string, pools: Pools): fc.Arbitrary<string> {
  const real = pools.params[name] ?? pools.uuids;
  const raw = fc.oneof(
    fc.constantFrom('..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%', '%zz', '%ff', '%c0%ae', '%00', '%e2%80%ae', '%ed%a0%80', '%F0%9F%98%80', ' ', '%20', '+', 'null', 'undefined', '0', '-1', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'default'),
    fc.uuid().map((uuid) => uuid.toUpperCase()),
    fc.uuid().map((uuid) => `${uuid}x`),
    fc.integer({ min: 1_000, max: 20_000 }).map((size) => 'a'.repeat(size)),
    nastyString.map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/gu, '\ufffd'))),
  );
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real).map((value) => encodeURIComponent(value)) }, { weight: 2, arbitrary: raw });
}

/** Query strings: junk keys and values, repeated keys, bad percent-encoding, numbers out of range. */
export const queryString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom('limit', 'offset', 'start', 'end', 'force', 'k', '__proto__', 'constructor'), nastyString.map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/gu, '')))),
          fc.oneof(
            fc.constantFrom('', '0', '-1', '1', '500', '501', '1e309', '9007199254740993', 'true', 'false', 'NaN', '%', '%zz', '%00', '%ff', '[]', 'a&b', '1.5', ' 1', '0x1f'),
            fc.integer().map(String),
            fc.integer({ min: 1_000, max: 10_000 }).map((size) => '9'.repeat(size)),
          ),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`),
  },
);

/** Credentials: mostly the admin key, sometimes none, a wrong one, a malformed header. */
export function authHeader(adminKey: string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant({ authorization: `Bearer ${adminKey}` }) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constantFrom('Bearer ', 'Bearer x', `Bearer ${adminKey}x`, `Basic ${adminKey}`, `Bearer ${adminKey} extra`, 'Bearer \u00ff\u00fe', `bearer ${adminKey.slice(0, 10)}`).map((value) => ({ authorization: value })) },
  );
}
