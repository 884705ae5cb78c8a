/**
 * What of a thrown error may go to the logs. A failed database statement's
 * error (drizzle's DrizzleQueryError, "Failed query: <sql> params: <values>")
 * carries the statement's parameters: document text, titles, external ids,
 * tenant names, questions; and the server's message beneath it may quote a
 * value too ('invalid input syntax for type integer: "<value>"'). Logs get each
 * error's name, code and message along the cause chain, except that from a
 * failed statement down only names and codes (SQLSTATE) are kept, and the stack
 * keeps only its frames (its head repeats the message).
 */
const FAILED_QUERY = /^Failed query:/u;
const MAX_MESSAGE = 500;
const MAX_DEPTH = 5;

export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  causes?: { type: string; message: string; code?: string }[];
}

function describe(error: Error, underFailedQuery: boolean): { type: string; message: string; code?: string; redacted: boolean } {
  const redacted = underFailedQuery || error.name === 'DrizzleQueryError' || FAILED_QUERY.test(error.message);
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: redacted ? 'failed query (statement and parameters not logged)' : error.message.slice(0, MAX_MESSAGE),
    ...(typeof code === 'string' ? { code } : {}),
    redacted,
  };
}

export function loggableError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: 'non-Error value thrown' };
  const top = describe(error, false);
  let redacted = top.redacted;
  const causes: LoggedError['causes'] = [];
  let current: unknown = error.cause;
  for (let depth = 0; depth < MAX_DEPTH && current instanceof Error; depth++) {
    const { type, message, code, redacted: hidden } = describe(current, redacted);
    redacted = hidden;
    causes.push({ type, message, ...(code ? { code } : {}) });
    current = current.cause;
  }
  // The stack starts with "Name: message" (over several lines when the message has them); frames hold no values.
  const frames = error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /u.test(line))
    .join('\n');
  return {
    type: top.type,
    message: top.message,
    ...(top.code ? { code: top.code } : {}),
    ...(frames ? { stack: frames } : {}),
    ...(causes.length > 0 ? { causes } : {}),
  };
}
