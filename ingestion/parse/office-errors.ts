import { AppError, type ErrorCode } from '../../src/core/errors';
import type { WorkerFailure } from './worker-call';

/** A worker's failure as the stable code of the format it was reading (`corrupt`: that format's code for a damaged file). */
export function officeFailure(failure: WorkerFailure, corrupt: ErrorCode, format: string): AppError {
  const bad = (code: ErrorCode, message: string): AppError => new AppError(code, message, { retryable: false });
  switch (failure.code) {
    case 'ZIP_TOO_LARGE':
      return bad('ARCHIVE_TOO_LARGE', `the ${format} file expands beyond the size or entry limit (${failure.message}); a zip bomb is refused`);
    case 'ZIP_ENCRYPTED':
      return bad('OFFICE_ENCRYPTED', `the ${format} file is password-protected; upload an unencrypted copy`);
    case 'TOO_MANY_ROWS':
      return bad('SPREADSHEET_TOO_LARGE', `${failure.message}; split it or raise SPREADSHEET_MAX_ROWS`);
    case 'IMAGE_TOO_LARGE':
      return bad('IMAGE_TOO_LARGE', failure.message);
    case 'TIMEOUT':
    case 'OUT_OF_MEMORY':
      return bad('PARSE_TIMEOUT', `${format} ${failure.message}`);
    default:
      return bad(corrupt, `the ${format} file could not be read (${failure.message.slice(0, 200)})`);
  }
}
