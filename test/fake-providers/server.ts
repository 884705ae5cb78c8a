/**
 * A local HTTP server speaking the OpenAI, Anthropic and Cohere wire formats, for
 * testing the provider adapters through the real SDKs (baseURL pointed here).
 *
 *   const fake = await startFakeProviders();
 *   fake.script('openai.chat', [{ status: 429, retryAfter: 1 }, { answer }]);
 *   new OpenAIGenerator({ apiKey: 'test', baseURL: fake.openaiBaseURL, model: 'gpt-4o-mini' });
 *   expect(fake.callCount('openai.chat')).toBe(2);
 *
 * Each recorded call keeps its parsed body and headers, when it arrived, when its
 * response closed, and whether the client went away first (`clientClosed`).
 *
 * Base URLs: OpenAI `${url}/v1`; Anthropic and Cohere `${url}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { GeneratedAnswer } from '../../src/core/providers/ports';
import { anthropicRoutes } from './anthropic-routes';
import {
  isRecord,
  Scripts,
  type Behaviour,
  type BehaviourScript,
  type FakeCall,
  type Reply,
  type RouteHandler,
  type RouteName,
} from './behaviours';
import { cohereRoutes } from './cohere-routes';
import { openAIRoutes } from './openai-routes';
import { openAISpec } from './openai-spec';
import { PromptCache } from './prompt-cache';

export type { Behaviour, BehaviourScript, FakeCall, RouteName } from './behaviours';
export { isRewriteRequest } from './behaviours';

export const DEFAULT_FAKE_ANSWER: GeneratedAnswer = {
  refused: false,
  sentences: [{ text: 'The warranty lasts two years.', citations: [{ source: 1, quote: 'warranty period is two years' }] }],
};

export interface FakeProviders {
  /** http://127.0.0.1:<port> — the Anthropic and Cohere base URL. */
  url: string;
  /** `${url}/v1` — the OpenAI base URL. */
  openaiBaseURL: string;
  /** Replaces the route's script: a queue (then the default) or a function of each call. */
  script(route: RouteName, script: BehaviourScript): void;
  /** What the route does once its queue is empty (initially: a valid default response). */
  setDefault(route: RouteName, behaviour: Behaviour): void;
  /** Every call received, in order. */
  calls: FakeCall[];
  callCount(route?: RouteName): number;
  /** Clears calls, scripts, defaults and the prompt cache. */
  reset(): void;
  close(): Promise<void>;
}

const ROUTES: readonly RouteHandler[] = [...openAIRoutes, ...anthropicRoutes, ...cohereRoutes];

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves after `ms`, or early (false) when the client has gone away. */
function stall(ms: number, response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      response.off('close', onClose);
      resolve(true);
    }, ms);
    response.once('close', onClose);
  });
}

async function writeReply(response: ServerResponse, reply: Reply, midStreamStallMs: number | undefined): Promise<void> {
  let parts = reply.parts;
  if (midStreamStallMs !== undefined && parts.length === 1) {
    const only = parts[0] ?? '';
    parts = [only.slice(0, only.length / 2), only.slice(only.length / 2)];
  }
  const stallAt = midStreamStallMs === undefined ? -1 : Math.floor(parts.length / 2);
  response.writeHead(reply.status, reply.headers);
  for (const [index, part] of parts.entries()) {
    if (index === stallAt && !(await stall(midStreamStallMs ?? 0, response))) return;
    if (response.destroyed) return;
    response.write(part);
  }
  response.end();
}

function errorReply(handler: RouteHandler, behaviour: Extract<Behaviour, { status: number }>): Reply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
  if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = String(behaviour.retryAfterMs);
  const message = behaviour.message ?? `fake ${behaviour.status}`;
  return { status: behaviour.status, headers, parts: [JSON.stringify(handler.errorBody(behaviour.status, message, behaviour.errorType))] };
}

export async function startFakeProviders(options: { defaultAnswer?: GeneratedAnswer } = {}): Promise<FakeProviders> {
  // The OpenAI routes' schema validators compile here, before any request can wait on them (and time out).
  openAISpec().warm();
  const defaultAnswer = options.defaultAnswer ?? DEFAULT_FAKE_ANSWER;
  const scripts = new Scripts();
  const calls: FakeCall[] = [];
  const promptCache = new PromptCache();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    const handler = ROUTES.find((route) => route.path === path);
    const text = await readBody(request);
    if (!handler || request.method !== 'POST') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${path}` } }));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!isRecord(body)) {
      await writeReply(response, errorReply(handler, { status: 400, message: 'body is not a JSON object' }), undefined);
      return;
    }
    const rejection = handler.validate?.(body);
    if (rejection) {
      // Refused before any scripted behaviour, as the service refuses it before doing anything.
      calls.push({ route: handler.route, body, headers: { ...request.headers }, behaviour: { status: rejection.status, message: rejection.message }, receivedAt: performance.now(), rejected: rejection.message });
      response.writeHead(rejection.status, { 'content-type': 'application/json' }).end(JSON.stringify(rejection.body));
      return;
    }
    const behaviour = scripts.next(handler.route, body);
    const call: FakeCall = { route: handler.route, body, headers: { ...request.headers }, behaviour, receivedAt: performance.now() };
    calls.push(call);
    response.once('close', () => {
      call.closedAt = performance.now();
      call.clientClosed = !response.writableFinished;
    });
    if ('status' in behaviour) {
      await writeReply(response, errorReply(handler, behaviour), undefined);
      return;
    }
    if ('stallMs' in behaviour && !behaviour.midStream && !(await stall(behaviour.stallMs, response))) return;
    if ('latencyMs' in behaviour && behaviour.latencyMs !== undefined && !(await stall(behaviour.latencyMs, response))) return;
    const reply = handler.success({
      body,
      answer: ('answer' in behaviour ? behaviour.answer : undefined) ?? defaultAnswer,
      ...('output' in behaviour ? { output: behaviour.output } : {}),
      cachedTokens: 'cachedTokens' in behaviour ? behaviour.cachedTokens : undefined,
      malformed: 'malformed' in behaviour,
      ending: 'ending' in behaviour ? behaviour.ending : undefined,
      promptCache,
    });
    await writeReply(response, reply, 'stallMs' in behaviour && behaviour.midStream ? behaviour.stallMs : undefined);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake providers: no TCP address');
  const url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    script: (route, script) => scripts.script(route, script),
    setDefault: (route, behaviour) => scripts.setDefault(route, behaviour),
    calls,
    callCount: (route) => (route ? calls.filter((call) => call.route === route).length : calls.length),
    reset() {
      calls.length = 0;
      scripts.reset();
      promptCache.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
