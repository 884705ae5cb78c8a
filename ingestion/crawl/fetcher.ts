import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { OutboundTargetForbidden, type OutboundGuard } from '../../src/core/net/outbound-guard';
import { pageKey, sameSite } from './site';

export const CRAWLER_USER_AGENT = 'AttestBot/1.0 (+https://github.com/attest/attest; help-center sync)';
/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'AttestBot';
const MAX_REDIRECTS = 5;

export interface CrawlOptions {
  concurrencyPerHost: number;
  /** Least pause between two requests to one host. */
  minDelayMs: number;
  timeoutMs: number;
  maxPageBytes: number;
  maxPages: number;
}

/** Stable per-page error codes (shown with the URL and HTTP status in a sync's errors). */
export type PageErrorCode =
  | 'HTTP_ERROR'
  | 'NOT_HTML'
  | 'PAGE_TOO_LARGE'
  | 'FETCH_TIMEOUT'
  | 'FETCH_FAILED'
  | 'TARGET_FORBIDDEN'
  | 'REDIRECT_OFF_SITE'
  | 'REDIRECT_LOOP'
  | 'TOO_MANY_REDIRECTS'
  | 'NO_CONTENT'
  | 'ROBOTS_DISALLOWED'
  | 'ROBOTS_UNAVAILABLE'
  | 'OFF_SITE'
  | 'INVALID_URL'
  | 'MAX_PAGES'
  | 'INGEST_FAILED';

export type FetchOutcome =
  | { kind: 'ok'; url: URL; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'not-modified'; url: URL }
  | { kind: 'error'; code: PageErrorCode; status?: number; message: string };

export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

/** Requests to one host: at most `concurrency` at once, starts at least `delayMs` apart. */
class HostGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private nextStart = 0;

  constructor(
    private readonly concurrency: number,
    public delayMs: number,
  ) {}

  async run<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    while (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      const now = Date.now();
      const wait = this.nextStart - now;
      this.nextStart = Math.max(now, this.nextStart) + this.delayMs;
      if (wait > 0) await sleep(wait, undefined, signal ? { signal } : undefined);
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

function failure(error: unknown): FetchOutcome {
  if (error instanceof OutboundTargetForbidden) return { kind: 'error', code: 'TARGET_FORBIDDEN', message: error.message };
  const name = error instanceof Error ? error.name : '';
  if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'error', code: 'FETCH_TIMEOUT', message: 'no complete answer within the time limit' };
  const code = (error as { code?: unknown }).code;
  return { kind: 'error', code: 'FETCH_FAILED', message: typeof code === 'string' ? code : error instanceof Error ? error.message.slice(0, 200) : 'request failed' };
}

/**
 * Polite GETs within one site, every request through the outbound guard (public addresses only unless the
 * operator allows more; the guard never follows a redirect, so each hop is checked again here): per-host
 * concurrency and pacing, a time limit and a size cap per request, conditional requests, redirects followed only
 * within the site of the source.
 */
export class PoliteFetcher {
  private readonly gates = new Map<string, HostGate>();

  constructor(
    private readonly guard: OutboundGuard,
    private readonly options: CrawlOptions,
    private readonly site: URL,
    private readonly signal?: AbortSignal,
  ) {}

  private gate(host: string): HostGate {
    let gate = this.gates.get(host);
    if (!gate) {
      gate = new HostGate(this.options.concurrencyPerHost, this.options.minDelayMs);
      this.gates.set(host, gate);
    }
    return gate;
  }

  /** A robots.txt Crawl-delay longer than the configured pause wins for that host. */
  slowDown(host: string, delayMs: number): void {
    const gate = this.gate(host);
    gate.delayMs = Math.max(gate.delayMs, delayMs);
  }

  async get(target: URL, validators: Validators = {}, accept = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1'): Promise<FetchOutcome> {
    const seen = new Set<string>();
    let url = target;
    for (let hop = 0; ; hop += 1) {
      seen.add(pageKey(url));
      const outcome = await this.once(url, validators, accept);
      if (outcome.kind !== 'redirect') return outcome;
      let next: URL;
      try {
        next = new URL(outcome.location, url);
      } catch {
        return { kind: 'error', code: 'FETCH_FAILED', status: outcome.status, message: 'redirect to an invalid URL' };
      }
      if (!sameSite(next, this.site) || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
        return { kind: 'error', code: 'REDIRECT_OFF_SITE', status: outcome.status, message: `redirect to ${next.host} leaves the site` };
      }
      if (seen.has(pageKey(next))) return { kind: 'error', code: 'REDIRECT_LOOP', status: outcome.status, message: 'the redirects loop' };
      if (hop + 1 > MAX_REDIRECTS) return { kind: 'error', code: 'TOO_MANY_REDIRECTS', status: outcome.status, message: `more than ${MAX_REDIRECTS} redirects` };
      url = next;
    }
  }

  private async once(url: URL, validators: Validators, accept: string): Promise<FetchOutcome | { kind: 'redirect'; status: number; location: string }> {
    const headers: Record<string, string> = { 'user-agent': CRAWLER_USER_AGENT, accept, 'accept-encoding': 'identity' };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const { timeoutMs, maxPageBytes } = this.options;
    try {
      const response = await this.gate(url.host).run(
        () =>
          // The guard's own timeout stops the request; this one also ends a response whose body stalls after its headers.
          Promise.race([
            this.guard.request(url, { headers, timeoutMs, maxResponseBytes: maxPageBytes + 1 }),
            sleep(timeoutMs + 1_000, undefined, { ref: false }).then(() => Promise.reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))),
          ]),
        this.signal,
      );
      const { status } = response;
      if (status === 304) return { kind: 'not-modified', url };
      if (status >= 300 && status < 400 && typeof response.headers.location === 'string') return { kind: 'redirect', status, location: response.headers.location };
      if (status < 200 || status >= 300) return { kind: 'error', code: 'HTTP_ERROR', status, message: `HTTP ${status}` };
      if (response.body.length > maxPageBytes) return { kind: 'error', code: 'PAGE_TOO_LARGE', status, message: `larger than ${maxPageBytes} bytes` };
      return { kind: 'ok', url, status, headers: response.headers, body: response.body };
    } catch (error) {
      if (this.signal?.aborted) throw error;
      return failure(error);
    }
  }
}
