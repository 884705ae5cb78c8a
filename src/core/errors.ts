import { isStoreUnavailable } from './db/store-errors';

/**
 * One catalog of error codes with their HTTP status. Every error that leaves the
 * service carries one of these codes; the API maps them in one place.
 */
export const ERROR_CATALOG = {
  BAD_REQUEST: { status: 400, retryable: false },
  VALIDATION_FAILED: { status: 400, retryable: false },
  INVALID_JSON: { status: 400, retryable: false },
  UNAUTHORIZED: { status: 401, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  ROUTE_NOT_FOUND: { status: 404, retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false },
  NOT_ACCEPTABLE: { status: 406, retryable: false },
  CORPUS_NOT_FOUND: { status: 404, retryable: false },
  DOCUMENT_NOT_FOUND: { status: 404, retryable: false },
  JOB_NOT_FOUND: { status: 404, retryable: false },
  BUILD_NOT_FOUND: { status: 404, retryable: false },
  TRACE_NOT_FOUND: { status: 404, retryable: false },
  CANARY_NOT_FOUND: { status: 404, retryable: false },
  TENANT_NOT_FOUND: { status: 404, retryable: false },
  KEY_NOT_FOUND: { status: 404, retryable: false },
  CONVERSATION_NOT_FOUND: { status: 404, retryable: false },
  CONFLICT: { status: 409, retryable: false },
  CORPUS_EXISTS: { status: 409, retryable: false },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, retryable: true },
  CONVERSATION_BUSY: { status: 409, retryable: true },
  BUILD_NOT_PROMOTABLE: { status: 409, retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false },
  EMPTY_FILE: { status: 422, retryable: false },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false },
  BUDGET_EXCEEDED: { status: 429, retryable: false },
  RATE_LIMITED: { status: 429, retryable: true },
  EMBEDDING_MODEL_MISMATCH: { status: 422, retryable: false },
  EMBEDDING_MODEL_UNKNOWN: { status: 422, retryable: false },
  PDF_ENCRYPTED: { status: 422, retryable: false },
  PDF_CORRUPT: { status: 422, retryable: false },
  PDF_NO_TEXT: { status: 422, retryable: false },
  PDF_TIMEOUT: { status: 422, retryable: false },
  PARSE_FAILED: { status: 422, retryable: false },
  NO_TEXT: { status: 422, retryable: false },
  DOCX_CORRUPT: { status: 422, retryable: false },
  PPTX_CORRUPT: { status: 422, retryable: false },
  XLSX_CORRUPT: { status: 422, retryable: false },
  CSV_CORRUPT: { status: 422, retryable: false },
  ODF_CORRUPT: { status: 422, retryable: false },
  EPUB_CORRUPT: { status: 422, retryable: false },
  EML_CORRUPT: { status: 422, retryable: false },
  IMAGE_CORRUPT: { status: 422, retryable: false },
  OFFICE_ENCRYPTED: { status: 422, retryable: false },
  ARCHIVE_TOO_LARGE: { status: 422, retryable: false },
  SPREADSHEET_TOO_LARGE: { status: 422, retryable: false },
  IMAGE_TOO_LARGE: { status: 422, retryable: false },
  PARSE_TIMEOUT: { status: 422, retryable: false },
  OCR_FAILED: { status: 422, retryable: false },
  OCR_TIMEOUT: { status: 422, retryable: false },
  PROVIDER_ERROR: { status: 502, retryable: true },
  PROVIDER_RATE_LIMITED: { status: 503, retryable: true },
  PROVIDER_TIMEOUT: { status: 504, retryable: true },
  PROVIDER_BAD_OUTPUT: { status: 502, retryable: true },
  /** The provider account is out of quota or credit (a billing state, not a rate limit): no retry until an operator acts. */
  PROVIDER_QUOTA_EXCEEDED: { status: 503, retryable: false },
  CIRCUIT_OPEN: { status: 503, retryable: true },
  QUEUE_UNAVAILABLE: { status: 503, retryable: true },
  OVERLOADED: { status: 503, retryable: true },
  STORE_UNAVAILABLE: { status: 503, retryable: true },
  SHUTTING_DOWN: { status: 503, retryable: true },
  CONFIG_INVALID: { status: 500, retryable: false },
  INTERNAL: { status: 500, retryable: false },
  /** The external index (Qdrant) does not answer or answers 5xx. */
  INDEX_UNAVAILABLE: { status: 503, retryable: true },
  /** The external index answers but cannot hold Attest's builds (too old a server, a collection without its metadata). */
  INDEX_UNSUPPORTED: { status: 503, retryable: false },

  /** A server-side request's target is internal (loopback, private, link-local, metadata...) and not allowed by OUTBOUND_ALLOW_HOSTS. */
  WEBHOOK_TARGET_FORBIDDEN: { status: 422, retryable: false },
  /** Help-center sources (ingestion/crawl): an unknown source, a sitemap URL that is not http(s), a bad cron pattern, an internal target. */
  SOURCE_NOT_FOUND: { status: 404, retryable: false },
  SOURCE_URL_INVALID: { status: 400, retryable: false },
  SCHEDULE_INVALID: { status: 400, retryable: false },
  SOURCE_URL_FORBIDDEN: { status: 422, retryable: false },
  /** The model's output hit the output token limit before the answer was complete: the same request is cut again. */
  PROVIDER_OUTPUT_TRUNCATED: { status: 502, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  retryAfterMs?: number;
  cause?: unknown;
  /** Overrides the catalog's default (e.g. a provider 400 is not retryable). */
  retryable?: boolean;
  /** Overrides the catalog's status where one code covers two situations (BUDGET_EXCEEDED: 413 for one request, 429 for a spent budget). */
  status?: number;
}

/**
 * 503s the service gives on purpose (shedding load, draining for shutdown). They are not failures to
 * investigate, and under overload there are thousands a second: an error log with a stack trace for each
 * (formatting a stack through source maps: about 0.3 ms each in the load bench profile) took the CPU the
 * admitted answers needed. The access log still records each one with its status.
 */
export const DELIBERATE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['OVERLOADED', 'SHUTTING_DOWN']);

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;
  readonly isRetryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    const status = options.status ?? ERROR_CATALOG[code].status;
    // Only a server failure's stack is ever read (logged); capturing one is most of what an Error costs
    // (AppError was 0.6 s of CPU in a 60-s load run, mostly the 503s of load shedding): the rest go without.
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500 || DELIBERATE_CODES.has(code)) Error.stackTraceLimit = 0;
    try {
      super(message, options.cause === undefined ? undefined : { cause: options.cause });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
    this.isRetryable = options.retryable ?? ERROR_CATALOG[code].retryable;
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, value);
}

/** Converts anything thrown into an AppError without losing a known code. */
export function toAppError(error: unknown, fallback: ErrorCode = 'INTERNAL'): AppError {
  if (isAppError(error)) return error;
  // A lost database connection is the store's outage, not the caller's fault or a bug: 503, retry shortly.
  if (isStoreUnavailable(error)) return new AppError('STORE_UNAVAILABLE', 'the database is unavailable; retry shortly', { cause: error, retryAfterMs: 1_000 });
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(fallback, message, { cause: error });
}
