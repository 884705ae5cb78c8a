import net from 'node:net';
import pg from 'pg';

/**
 * Where the real services are. Outside CI a suite whose service is down skips
 * with a printed reason; under CI=true it must fail instead (see requireService).
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

function reachable(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function postgresAvailable(): Promise<boolean> {
  const url = new URL(POSTGRES_ADMIN_URL);
  return reachable(url.hostname, Number(url.port || 5432));
}

export async function redisAvailable(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return reachable(url.hostname, Number(url.port || 6379));
}

/**
 * Returns true when the service is there. When it is not: throws under CI
 * (a missing service is a failure there), otherwise prints why and returns false.
 */
export async function requireService(name: 'postgres' | 'redis', suite: string): Promise<boolean> {
  const ok = name === 'postgres' ? await postgresAvailable() : await redisAvailable();
  if (ok) return true;
  const message = `${suite}: ${name} is not reachable (${name === 'postgres' ? POSTGRES_ADMIN_URL : REDIS_URL})`;
  if (IN_CI) throw new Error(`${message}; CI=true requires it`);
  console.warn(`SKIPPED ${message}`);
  return false;
}

/**
 * A fresh database per suite so suites can run in parallel; drop() removes it. With `template`, a copy of that
 * database (CREATE DATABASE ... TEMPLATE: a file copy, no statement replayed).
 */
export async function createTestDatabase(prefix = 'attest_test', template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
