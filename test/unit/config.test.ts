import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/core/config';

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.GENERATORS).toEqual(['local']);
    expect(config.MAX_UPLOAD_BYTES).toBe(50 * 1024 * 1024);
    expect(config.PGLITE_LIFTOFF_ONLY).toBe(true);
  });

  it('reads PGLITE_LIFTOFF_ONLY as true or false and nothing else', () => {
    expect(loadConfig({ PGLITE_LIFTOFF_ONLY: 'false' }).PGLITE_LIFTOFF_ONLY).toBe(false);
    expect(loadConfig({ PGLITE_LIFTOFF_ONLY: 'true' }).PGLITE_LIFTOFF_ONLY).toBe(true);
    expect(() => loadConfig({ PGLITE_LIFTOFF_ONLY: 'yes' })).toThrow(ConfigError);
  });

  it('runs PGlite on its worker thread by default, on the main thread with PGLITE_WORKER=off', () => {
    expect(loadConfig({}).PGLITE_WORKER).toBe(true);
    expect(loadConfig({ PGLITE_WORKER: 'off' }).PGLITE_WORKER).toBe(false);
    expect(loadConfig({ PGLITE_WORKER: 'on' }).PGLITE_WORKER).toBe(true);
    expect(() => loadConfig({ PGLITE_WORKER: 'false' })).toThrow(ConfigError);
  });

  it('names the variable of a bad value in one line', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty' });
    } catch (error) {
      expect((error as ConfigError).variable).toBe('PORT');
      expect((error as Error).message).toMatch(/^Invalid configuration: PORT .*"eighty"/);
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('rejects a DATABASE_URL that is not a postgres URL without printing it', () => {
    const secret = 'mysql://user:hunter2@db/x';
    try {
      loadConfig({ DATABASE_URL: secret });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).variable).toBe('DATABASE_URL');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('never prints a short bootstrap key', () => {
    try {
      loadConfig({ BOOTSTRAP_API_KEY: 'tooshort' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('BOOTSTRAP_API_KEY');
      expect((error as Error).message).not.toContain('tooshort');
    }
  });

  it('parses lists and enums', () => {
    const config = loadConfig({ GENERATORS: 'openai, anthropic,local', ALERT_WEBHOOK_URL: 'http://a/x, http://b/y' });
    expect(config.GENERATORS).toEqual(['openai', 'anthropic', 'local']);
    expect(config.ALERT_WEBHOOK_URL).toEqual(['http://a/x', 'http://b/y']);
    expect(() => loadConfig({ GENERATORS: 'openai,gpt5' })).toThrow(/GENERATORS/);
  });
});
