import net from 'node:net';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../../src/core/db/store-errors';
import { AppError } from '../../../src/core/errors';

/**
 * isStoreUnavailable against the error shapes a lost database really produces
 * (captured from node-postgres through drizzle against a proxied PostgreSQL in
 * test/faults/infra-postgres-drop.test.ts): the socket-level ones are produced
 * here for real, by pg talking to a closed port and to a server that hangs up;
 * the server's own FATAL is built as pg builds it. Errors that are bugs or bad
 * input must not pass for an outage (they would be retried forever as 503s).
 */
async function failedQuery(connectionString: string): Promise<unknown> {
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => undefined);
  try {
    await drizzle(pool).execute(sql`select 1`);
    throw new Error('the query unexpectedly succeeded');
  } catch (error) {
    return error;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

function databaseError(message: string, code: string, severity = 'ERROR'): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = severity;
  return error;
}

function wrapped(cause: Error): DrizzleQueryError {
  return new DrizzleQueryError('select 1', [], cause);
}

describe('isStoreUnavailable', () => {
  let closedPort: number;
  let hangingUp: net.Server;
  let hangUpPort: number;

  beforeAll(async () => {
    const probe = net.createServer();
    await new Promise<void>((resolveListen) => probe.listen(0, '127.0.0.1', resolveListen));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolveClose) => probe.close(resolveClose));
    // Accepts, then drops the connection: what a database whose network went away looks like mid-connect.
    hangingUp = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolveListen) => hangingUp.listen(0, '127.0.0.1', resolveListen));
    hangUpPort = (hangingUp.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolveClose) => hangingUp.close(resolveClose));
  });

  it('a refused connection (ECONNREFUSED wrapped by drizzle) is an outage', async () => {
    const error = await failedQuery(`postgres://postgres@127.0.0.1:${closedPort}/test`);
    expect(error).toBeInstanceOf(DrizzleQueryError);
    expect((error as Error & { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
    expect(isStoreUnavailable(error)).toBe(true);
  });

  it('a connection the other side hangs up ("Connection terminated unexpectedly") is an outage', async () => {
    const error = await failedQuery(`postgres://postgres@127.0.0.1:${hangUpPort}/test`);
    expect(error).toBeInstanceOf(DrizzleQueryError);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).message).toMatch(/connection terminated/iu);
    expect(isStoreUnavailable(error)).toBe(true);
  });

  it('the shapes seen when a live connection drops mid-query are outages', () => {
    // Socket cut by the network (the proxy's cut()): a plain Error, no code.
    expect(isStoreUnavailable(wrapped(new Error('Connection terminated unexpectedly')))).toBe(true);
    // Backend killed by pg_terminate_backend or a server shutdown.
    expect(isStoreUnavailable(wrapped(databaseError('terminating connection due to administrator command', '57P01', 'FATAL')))).toBe(true);
    // A pooled client whose socket already failed.
    expect(isStoreUnavailable(wrapped(new Error('Client has encountered a connection error and is not queryable')))).toBe(true);
    // The pool could not connect within connectionTimeoutMillis (pg-pool's and pg's own wording).
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isStoreUnavailable(wrapped(new Error('Connection terminated due to connection timeout')))).toBe(true);
    // A connection whose network silently drops packets, with pg's query_timeout set: no answer in time.
    expect(isStoreUnavailable(wrapped(new Error('Query read timeout')))).toBe(true);
    expect(isStoreUnavailable(wrapped(databaseError('sorry, too many clients already', '53300', 'FATAL')))).toBe(true);
    expect(isStoreUnavailable(wrapped(databaseError('the database system is starting up', '57P03', 'FATAL')))).toBe(true);
  });

  it('query bugs, constraint violations and other errors are not outages', () => {
    expect(isStoreUnavailable(wrapped(databaseError('duplicate key value violates unique constraint "documents_pkey"', '23505')))).toBe(false);
    expect(isStoreUnavailable(wrapped(databaseError('relation "nope" does not exist', '42P01')))).toBe(false);
    expect(isStoreUnavailable(wrapped(databaseError('canceling statement due to statement timeout', '57014')))).toBe(false);
    expect(isStoreUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isStoreUnavailable(new AppError('INTERNAL', 'chunk 3 was not written'))).toBe(false);
    expect(isStoreUnavailable('Connection terminated unexpectedly')).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
  });
});
