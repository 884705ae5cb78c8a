import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';

const frames = (error: Error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).length;

describe('AppError', () => {
  it('keeps the stack of a server failure, and none for client errors and deliberate 503s', () => {
    expect(frames(new AppError('INTERNAL', 'broken'))).toBeGreaterThan(0);
    expect(frames(new AppError('PROVIDER_ERROR', 'upstream'))).toBeGreaterThan(0);
    expect(frames(new AppError('BAD_REQUEST', 'no'))).toBe(0);
    expect(frames(new AppError('OVERLOADED', 'busy'))).toBe(0);
    expect(frames(new AppError('SHUTTING_DOWN', 'bye'))).toBe(0);
    // A status override decides, not the catalog's default.
    expect(frames(new AppError('BUDGET_EXCEEDED', 'spent', { status: 429 }))).toBe(0);
    expect(new AppError('OVERLOADED', 'busy').stack).toContain('busy');
  });

  it('leaves the process-wide stack trace limit as it found it', () => {
    const before = Error.stackTraceLimit;
    void new AppError('NOT_FOUND', 'gone');
    expect(Error.stackTraceLimit).toBe(before);
    expect(frames(new Error('plain'))).toBeGreaterThan(0);
  });
});
