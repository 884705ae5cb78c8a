import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { components } from '../client/schema';

/**
 * How the tools reach the API: every tool call is an HTTP API call made with the caller's own key, so
 * scopes, tenant isolation, rate limits and token budgets are exactly the HTTP API's.
 */
export type ApiCall = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

type Schemas = components['schemas'];
/** Where a passage is: the fields search results and citations share, as the API documents them. */
type ApiLocation = Pick<Schemas['Citation'], 'documentId' | 'versionId' | 'chunkId' | 'title' | 'page' | 'pageEnd' | 'headingPath' | 'start' | 'end'>;

/** The location a tool returns for a passage: one shape for search hits and citations, absent fields as null. */
function sourceLocation(item: ApiLocation) {
  return {
    title: item.title,
    page: item.page,
    pageEnd: item.pageEnd ?? null,
    headingPath: item.headingPath ?? null,
    documentId: item.documentId,
    versionId: item.versionId,
    chunkId: item.chunkId,
    start: item.start,
    end: item.end,
  };
}

function failure(status: number, body: unknown): CallToolResult {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return { isError: true, content: [{ type: 'text', text: `${error?.code ?? `HTTP_${status}`}: ${error?.message ?? 'the request failed'}` }] };
}

function result(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured, null, 1) }], structuredContent: structured };
}

const corpusArg = z.string().min(1).max(100).describe('Corpus name or id (list_corpora gives them)');

export function createMcpServer(call: ApiCall, version: string): McpServer {
  const server = new McpServer({ name: 'attest', version });

  server.registerTool(
    'list_corpora',
    { title: 'List corpora', description: 'The document collections this API key can search and ask.', inputSchema: {}, annotations: { readOnlyHint: true } },
    async () => {
      const response = await call('GET', '/v1/corpora');
      if (response.status !== 200) return failure(response.status, response.body);
      const { corpora } = response.body as { corpora: Schemas['Corpus'][] };
      return result({ corpora: corpora.map((corpus) => ({ id: corpus.id, name: corpus.name, createdAt: corpus.createdAt })) });
    },
  );

  server.registerTool(
    'search_documents',
    {
      title: 'Search documents',
      description: 'Hybrid (BM25 + vector) search with reranking over a corpus: the best passages with their document titles, pages or sections, and character offsets.',
      inputSchema: { corpus: corpusArg, query: z.string().min(1).max(2000), k: z.number().int().min(1).max(50).default(8) },
      annotations: { readOnlyHint: true },
    },
    async ({ corpus, query, k }) => {
      const response = await call('POST', `/v1/corpora/${encodeURIComponent(corpus)}/search`, { query, k });
      if (response.status !== 200) return failure(response.status, response.body);
      const body = response.body as Schemas['SearchResponse'];
      return result({ results: body.results.map((hit) => ({ ...sourceLocation(hit), text: hit.text })) });
    },
  );

  server.registerTool(
    'answer_with_citations',
    {
      title: 'Answer with verified citations',
      description:
        "Answers a question from a corpus. Every sentence cites a verbatim quote that was checked against the source text (offsets and pages given); when the documents don't say, the result is a refusal with its reason instead of an answer. Quote the citations; do not add facts they do not state.",
      inputSchema: { corpus: corpusArg, question: z.string().min(1).max(4000) },
      annotations: { readOnlyHint: true },
    },
    async ({ corpus, question }) => {
      const response = await call('POST', `/v1/corpora/${encodeURIComponent(corpus)}/answers`, { question });
      if (response.status !== 200) return failure(response.status, response.body);
      const body = response.body as Schemas['Answer'];
      if (body.refused) return result({ refused: true, reason: body.refusalReason ?? 'the documents do not say', traceId: body.traceId });
      return result({
        refused: false,
        answer: body.answer,
        sentences: body.sentences,
        citations: body.citations.map((citation) => ({ n: citation.n, ...sourceLocation(citation), quote: citation.quote, verified: citation.verified })),
        traceId: body.traceId,
      });
    },
  );

  return server;
}
