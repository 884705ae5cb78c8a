import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { conversations as conversationsTable } from '../../src/core/db/schema';
import { ConversationService } from '../../src/conversations/service';
import { ConversationStore } from '../../src/conversations/store';
import { ensureTenant } from '../../src/core/tenancy';
import type { AnswerBody } from '../../src/query/answer-service';
import { bearer } from '../helpers/app';
import { isRewriteRequest } from '../fake-providers/server';
import { answerOf, createCorpus, parseSse, sharedStore, startHarness, uploadText, type AnswerHarness, type Loose } from '../helpers/answers';

/**
 * Conversations: follow-ups rewritten into standalone questions before retrieval, turns kept and read back,
 * one tenant's conversations invisible to another, one turn at a time, retention, and citations that survive
 * the deletion of their document as readable, marked history.
 */
const ROUTER =
  'Zephyr X200 router reset\n\nTo reset the Zephyr X200 router, hold the recessed reset button for ten seconds until the status light blinks amber. The Zephyr X200 router needs its Ethernet cable plugged into port 1 during the reset, or the factory settings are not restored.\n';
const SPEAKER =
  'Nimbus speaker charging\n\nThe Nimbus speaker charges over a USB-C cable. You need a cable to charge it: a cable is in the box, and any USB-C cable works. Charging takes two hours.\n';

const shared = await sharedStore();
afterAll(async () => shared.close());

async function post(h: AnswerHarness, url: string, payload: unknown, key = h.t.adminKey, headers: Record<string, string> = {}) {
  return h.t.app.inject({ method: 'POST', url, headers: { ...bearer(key), ...headers }, payload: payload as Record<string, unknown> });
}

describe('conversations over the API', () => {
  let h: AnswerHarness;
  let routerDoc: string;
  let speakerDoc: string;

  beforeAll(async () => {
    // The embedded default's generator (local, extractive): answers come from the passages retrieval finds.
    h = await startHarness({ GENERATORS: 'local' }, { store: shared.store });
    await createCorpus(h.t, 'support');
    routerDoc = (await uploadText(h.t, 'support', 'router.txt', ROUTER)).documentId;
    speakerDoc = (await uploadText(h.t, 'support', 'speaker.txt', SPEAKER)).documentId;
  });
  afterAll(async () => h?.close());

  it('rewrites a follow-up so it retrieves what the raw follow-up does not', async () => {
    // The raw follow-up alone finds the speaker's cable first.
    const raw = await post(h, '/v1/corpora/support/search', { query: 'does it need a cable?', k: 3, mode: 'bm25' });
    expect(raw.json().results[0].documentId).toBe(speakerDoc);

    const created = await post(h, '/v1/conversations', { corpus: 'support' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const first = await post(h, `/v1/conversations/${id}/messages`, { question: 'How do I reset the Zephyr X200 router?' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ conversationId: id, turn: 1, standaloneQuestion: 'How do I reset the Zephyr X200 router?' });

    const second = await post(h, `/v1/conversations/${id}/messages`, { question: 'does it need a cable?' });
    expect(second.statusCode, second.body).toBe(200);
    const body = second.json() as Loose;
    expect(body.turn).toBe(2);
    expect(body.question).toBe('does it need a cable?');
    expect(body.standaloneQuestion).toMatch(/Zephyr X200 router/);
    expect(body.refused).toBe(false);
    expect(body.sources[0].documentId).toBe(routerDoc);
    expect(body.citations[0].documentId).toBe(routerDoc);
    expect(body.citations[0].quote).toMatch(/Ethernet cable/);

    // The trace records both questions (as hashes: traces keep no question text) and the history it used.
    const trace = (await h.t.app.inject({ method: 'GET', url: `/v1/traces/${body.traceId}`, headers: bearer(h.t.adminKey) })).json() as Loose;
    expect(trace.conversation).toMatchObject({ id, turn: 2, rewrite: 'pronoun', historyTurns: 1, trimmedTurns: [] });
    expect(trace.conversation.originalQuestionHash).not.toBe(trace.conversation.standaloneQuestionHash);

    // Reloading reads the thread back.
    const thread = (await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: bearer(h.t.adminKey) })).json() as Loose;
    expect(thread.turns).toBe(2);
    expect(thread.title).toBe('How do I reset the Zephyr X200 router?');
    expect(thread.messages.map((message: Loose) => message.standaloneQuestion)).toEqual(['How do I reset the Zephyr X200 router?', body.standaloneQuestion]);
    expect(thread.messages[1].answer.answer).toBe(body.answer);
    expect(thread.messages[1]).toMatchObject({ traceId: body.traceId, feedback: null });

    // A rating given to the turn's trace is the turn's feedback.
    expect((await post(h, '/v1/feedback', { traceId: body.traceId, rating: 'down' })).statusCode).toBe(201);
    expect((await post(h, '/v1/feedback', { traceId: body.traceId, rating: 'up' })).statusCode).toBe(201);
    const rated = (await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: bearer(h.t.adminKey) })).json() as Loose;
    expect(rated.messages.map((message: Loose) => message.feedback)).toEqual([null, 'up']);
  });

  it('gives the same turn over SSE as over JSON', async () => {
    const turn = async (stream: boolean) => {
      const id = (await post(h, '/v1/conversations', { corpus: 'support' })).json().id as string;
      await post(h, `/v1/conversations/${id}/messages`, { question: 'How does the Nimbus speaker charge?' });
      const response = await post(h, `/v1/conversations/${id}/messages`, { question: 'how long does it take?' }, h.t.adminKey, stream ? { accept: 'text/event-stream' } : {});
      expect(response.statusCode).toBe(200);
      if (!stream) return response.json() as Loose;
      const events = parseSse(response.body);
      expect(events.map((event) => event.event)).toContain('retrieval');
      return events.find((event) => event.event === 'done')?.data as Loose;
    };
    const json = await turn(false);
    const sse = await turn(true);
    for (const field of ['answer', 'standaloneQuestion', 'turn', 'refused', 'citations']) expect(sse[field]).toEqual(json[field]);
    expect(json.standaloneQuestion).toMatch(/Nimbus speaker/);
    expect(json.citations[0].documentId).toBe(speakerDoc);
  });

  it('keeps each tenant to its own conversations: 404 on every route for another tenant', async () => {
    const id = (await post(h, '/v1/conversations', { corpus: 'support', title: 'Mine' })).json().id as string;
    const other = await h.t.keyFor('conversations-other-tenant', ['query', 'ingest', 'admin']);
    const headers = bearer(other);
    const calls = [
      h.t.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers }),
      h.t.app.inject({ method: 'PATCH', url: `/v1/conversations/${id}`, headers, payload: { title: 'theirs' } }),
      h.t.app.inject({ method: 'DELETE', url: `/v1/conversations/${id}`, headers }),
      h.t.app.inject({ method: 'POST', url: `/v1/conversations/${id}/messages`, headers, payload: { question: 'How do I reset the router?' } }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('CONVERSATION_NOT_FOUND');
    }
    const listed = (await h.t.app.inject({ method: 'GET', url: '/v1/conversations', headers })).json() as Loose;
    expect(listed.conversations.map((conversation: Loose) => conversation.id)).not.toContain(id);
    // Nor can it start one on this tenant's corpus.
    expect((await post(h, '/v1/conversations', { corpus: 'support' }, other)).statusCode).toBe(404);
    // The owner still has it, untouched; and can rename and delete it.
    const mine = await h.t.app.inject({ method: 'PATCH', url: `/v1/conversations/${id}`, headers: bearer(h.t.adminKey), payload: { title: 'Renamed' } });
    expect(mine.json().title).toBe('Renamed');
    expect((await h.t.app.inject({ method: 'DELETE', url: `/v1/conversations/${id}`, headers: bearer(h.t.adminKey) })).statusCode).toBe(204);
    expect((await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: bearer(h.t.adminKey) })).statusCode).toBe(404);
  });

  it('keeps old turns readable after their document is deleted, citations marked deleted', async () => {
    const doc = await uploadText(h.t, 'support', 'returns.txt', 'Returns policy\n\nUnopened items can be returned within 30 days of delivery for a full refund.\n');
    const id = (await post(h, '/v1/conversations', { corpus: 'support' })).json().id as string;
    const turn = (await post(h, `/v1/conversations/${id}/messages`, { question: 'Within how many days can unopened items be returned?' })).json() as Loose;
    expect(turn.citations[0].documentId).toBe(doc.documentId);
    expect((await h.t.app.inject({ method: 'DELETE', url: `/v1/documents/${doc.documentId}`, headers: bearer(h.t.adminKey) })).statusCode).toBe(204);
    const thread = (await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: bearer(h.t.adminKey) })).json() as Loose;
    const citation = thread.messages[0].answer.citations[0];
    expect(citation.quote).toMatch(/30 days/);
    expect(citation.deleted).toBe(true);
    // Citations of live documents are not marked.
    const routerThread = (await post(h, '/v1/conversations', { corpus: 'support' })).json().id as string;
    await post(h, `/v1/conversations/${routerThread}/messages`, { question: 'How do I reset the Zephyr X200 router?' });
    const live = (await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${routerThread}`, headers: bearer(h.t.adminKey) })).json() as Loose;
    expect(live.messages[0].answer.citations[0].deleted).toBe(false);
  });

  it('answers 404 for unknown conversations and 400 for bad input', async () => {
    const missing = await post(h, '/v1/conversations/00000000-0000-4000-8000-000000000000/messages', { question: 'hello?' });
    expect(missing.json().error.code).toBe('CONVERSATION_NOT_FOUND');
    expect((await post(h, '/v1/conversations', { corpus: 'no-such-corpus' })).json().error.code).toBe('CORPUS_NOT_FOUND');
    const id = (await post(h, '/v1/conversations', { corpus: 'support' })).json().id as string;
    expect((await post(h, `/v1/conversations/${id}/messages`, { question: '' })).statusCode).toBe(400);
    expect((await h.t.app.inject({ method: 'GET', url: '/v1/conversations/not-a-uuid', headers: bearer(h.t.adminKey) })).statusCode).toBe(400);
  });

  it('sends the earlier turns to the provider as a byte-identical prefix, turn after turn', async () => {
    const p = await startHarness({}, { store: shared.store });
    try {
      await createCorpus(p.t, 'prefix');
      await uploadText(p.t, 'prefix', 'router.txt', ROUTER);
      const answer = answerOf([{ text: 'Hold the reset button for ten seconds.', source: 1, quote: 'hold the recessed reset button for ten seconds' }]);
      // Follow-ups are rewritten by the same provider first (a call of its own, with its own schema).
      p.fake.script('openai.chat', (call) => (isRewriteRequest(call.body) ? { output: { standaloneQuestion: 'Does the Zephyr X200 router need a cable?' } } : { answer }));
      const id = (await post(p, '/v1/conversations', { corpus: 'prefix' })).json().id as string;
      const shares: number[] = [];
      for (const question of ['How do I reset the Zephyr X200 router?', 'does it need a cable?', 'and for how long?']) {
        const response = await post(p, `/v1/conversations/${id}/messages`, { question });
        expect(response.statusCode).toBe(200);
        shares.push((response.json() as Loose).usage.cachedShare);
      }
      // The strict fake caches as OpenAI does (from the second identical prefix of 1,024+ tokens): turn 1 writes,
      // later turns read the system prompt and the earlier turns.
      expect(shares[0]).toBe(0);
      expect(shares[1]).toBeGreaterThan(0.3);
      expect(shares[2]).toBeGreaterThan(0.3);
      expect(p.fake.calls.filter((call) => isRewriteRequest(call.body))).toHaveLength(2);
      const requests = p.fake.calls.filter((call) => call.route === 'openai.chat' && !isRewriteRequest(call.body)).map((call) => (call.body as { messages: { role: string; content: string }[] }).messages);
      expect(requests).toHaveLength(3);
      const [turn1, turn2, turn3] = requests as [Loose, Loose, Loose];
      // Turn n: system, the n-1 earlier turns, then this turn's sources and question.
      expect(turn1).toHaveLength(2);
      expect(turn2).toHaveLength(3);
      expect(turn3).toHaveLength(4);
      expect(turn2.slice(0, 1)).toEqual(turn1.slice(0, 1));
      expect(turn3.slice(0, 2)).toEqual(turn2.slice(0, 2));
      expect(turn3[1].content).toContain('How do I reset the Zephyr X200 router?');
      expect(turn3[2].content).toContain('does it need a cable?');
    } finally {
      await p.close();
    }
  });
});

describe('stopping a turn', () => {
  it('closes the provider call when the client goes away, and stores no turn', async () => {
    const p = await startHarness({}, { store: shared.store });
    try {
      await createCorpus(p.t, 'stop');
      await uploadText(p.t, 'stop', 'router.txt', ROUTER);
      p.fake.setDefault('openai.chat', { answer: answerOf([{ text: 'Hold the reset button.', source: 1, quote: 'hold the recessed reset button for ten seconds' }]), latencyMs: 10_000 });
      const address = await p.t.app.listen({ port: 0, host: '127.0.0.1' });
      const id = (await post(p, '/v1/conversations', { corpus: 'stop' })).json().id as string;
      const client = new AbortController();
      const pending = fetch(`${address}/v1/conversations/${id}/messages`, {
        method: 'POST',
        headers: { ...bearer(p.t.adminKey), 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ question: 'How do I reset the Zephyr X200 router?' }),
        signal: client.signal,
      });
      pending.catch(() => undefined);
      for (let i = 0; i < 100 && p.fake.callCount('openai.chat') === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(p.fake.callCount('openai.chat')).toBe(1);
      client.abort();
      const chat = () => p.fake.calls.find((call) => call.route === 'openai.chat');
      for (let i = 0; i < 100 && chat()?.closedAt === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      // Closed by the service, long before the provider's 10 s answer.
      expect(chat()?.clientClosed).toBe(true);
      // The stopped turn is not kept, and the conversation takes the next message at once.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const thread = (await p.t.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: bearer(p.t.adminKey) })).json() as Loose;
      expect(thread.turns).toBe(0);
      p.fake.setDefault('openai.chat', { answer: answerOf([{ text: 'Hold the reset button.', source: 1, quote: 'hold the recessed reset button for ten seconds' }]) });
      expect((await post(p, `/v1/conversations/${id}/messages`, { question: 'How do I reset the Zephyr X200 router?' })).statusCode).toBe(200);
      expect(p.fake.callCount('openai.chat')).toBe(2);
    } finally {
      await p.close();
    }
  });
});

describe('conversation service', () => {
  it('answers one turn at a time: a message sent while a turn is answered gets 409 CONVERSATION_BUSY', async () => {
    const h = await startHarness({ GENERATORS: 'local' }, { store: shared.store });
    try {
      const corpus = await createCorpus(h.t, 'busy');
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = {
        checkBudget: () => undefined,
        historyRoom: () => 1000,
        answer: async () => {
          await gate;
          return { answer: 'ok', sentences: [], citations: [], refused: false, refusalReason: null, degraded: false, cached: false, traceId: '', sources: [], mode: 'generative', gate: { passed: true, reason: null, message: null }, usage: { provider: 'x', model: 'x', inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cachedShare: 0, costUsd: 0 }, timings: { retrieveMs: 0, rerankMs: 0, assembleMs: 0, generateMs: 0, verifyMs: 0, totalMs: 0 } } as AnswerBody;
        },
      };
      const service = new ConversationService(new ConversationStore(h.t.container.store.db), slow, { retentionDays: 0, historyTokens: 1000, leaseMs: 60_000 });
      const tenantId = (await ensureTenant(h.t.container.store.db, 'default')).id;
      const row = await service.create(tenantId, await h.t.container.services.corpora.find(tenantId, corpus.id), {});
      const corpusOf = () => h.t.container.services.corpora.find(tenantId, corpus.id);
      const first = service.ask(tenantId, row.id, corpusOf, 'first question', {});
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(service.ask(tenantId, row.id, corpusOf, 'second question', {})).rejects.toMatchObject({ code: 'CONVERSATION_BUSY' });
      release();
      await first;
      // Once the first turn is done, the next is let in, and turns are numbered in order.
      const second = await service.ask(tenantId, row.id, corpusOf, 'second question', {});
      expect(second.turn).toBe(2);
    } finally {
      await h.close();
    }
  });

  it('trims the history before a long question would not fit, and says so in the trace', async () => {
    const h = await startHarness({ GENERATORS: 'local', MAX_INPUT_TOKENS: '3000', MAX_OUTPUT_TOKENS: '200' }, { store: shared.store });
    try {
      await createCorpus(h.t, 'trim');
      await uploadText(h.t, 'trim', 'router.txt', ROUTER);
      const id = (await post(h, '/v1/conversations', { corpus: 'trim' })).json().id as string;
      for (const question of ['How do I reset the Zephyr X200 router?', 'does it need a cable?']) expect((await post(h, `/v1/conversations/${id}/messages`, { question })).statusCode).toBe(200);
      const tenantId = (await ensureTenant(h.t.container.store.db, 'default')).id;
      // Long enough that what is left beside it holds less than the two earlier turns.
      let long = 'How long do I hold the reset button of the Zephyr X200 router';
      while (h.t.container.services.answers.historyRoom(long, tenantId) > 60) long += ' please'.repeat(25);
      const short = (await post(h, `/v1/conversations/${id}/messages`, { question: 'How long do I hold the reset button?' })).json() as Loose;
      const shortTrace = (await h.t.app.inject({ method: 'GET', url: `/v1/traces/${short.traceId}`, headers: bearer(h.t.adminKey) })).json() as Loose;
      expect(shortTrace.conversation).toMatchObject({ historyTurns: 2, trimmedTurns: [] });
      const response = await post(h, `/v1/conversations/${id}/messages`, { question: `${long}?` });
      expect(response.statusCode, response.body).toBe(200);
      const trace = (await h.t.app.inject({ method: 'GET', url: `/v1/traces/${(response.json() as Loose).traceId}`, headers: bearer(h.t.adminKey) })).json() as Loose;
      expect(trace.conversation.trimmedTurns[0]).toBe(1);
      expect(trace.conversation.historyBudgetTokens).toBeLessThanOrEqual(60);
      expect(trace.conversation.historyTokens).toBeLessThanOrEqual(trace.conversation.historyBudgetTokens);
    } finally {
      await h.close();
    }
  });

  it('purges conversations past their retention and keeps the others', async () => {
    const h = await startHarness({ GENERATORS: 'local', CONVERSATION_RETENTION_DAYS: '30' }, { store: shared.store });
    try {
      await createCorpus(h.t, 'retention');
      const old = (await post(h, '/v1/conversations', { corpus: 'retention' })).json() as Loose;
      const recent = (await post(h, '/v1/conversations', { corpus: 'retention' })).json() as Loose;
      // Created with 30 days to live.
      expect(new Date(recent.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
      await h.t.container.store.db.update(conversationsTable).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(conversationsTable.id, old.id));
      const purged = await h.t.container.services.conversations.purgeExpired();
      expect(purged).toBeGreaterThanOrEqual(1);
      expect((await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${old.id}`, headers: bearer(h.t.adminKey) })).statusCode).toBe(404);
      expect((await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${recent.id}`, headers: bearer(h.t.adminKey) })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });
});
