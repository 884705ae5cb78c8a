import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/**
 * How the tools reach the API: every tool call is an HTTP API call made with the caller's own key, so
 * scopes, tenant isolation, rate limits and token budgets are exactly the HTTP API's.
 */
export type ApiCall = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

interface ApiCitation {
  n: number;
  documentId: string;
  versionId: string;
  title: string;
  page: number | null;
  pageEnd?: number | null;
  headingPath?: string[] | null;
  quote: string;
  start: number;
  end: number;
  verified: boolean;
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
      const { corpora } = response.body as { corpora: { id: string; name: string; createdAt: string }[] };
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
      const body = response.body as { results: { chunkId: string; documentId: string; versionId: string; title: string; page: number | null; pageEnd?: number | null; headingPath?: string[] | null; start: number; end: number; text: string; score: number }[] };
      return result({
        results: body.results.map((hit) => ({
          title: hit.title,
          page: hit.page,
          pageEnd: hit.pageEnd ?? null,
          headingPath: hit.headingPath ?? null,
          text: hit.text,
          documentId: hit.documentId,
          versionId: hit.versionId,
          chunkId: hit.chunkId,
          start: hit.start,
          end: hit.end,
        })),
      });
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
      const body = response.body as { answer: string; refused: boolean; refusalReason: string | null; sentences: { text: string; citations: number[] }[]; citations: ApiCitation[]; traceId: string };
      if (body.refused) return result({ refused: true, reason: body.refusalReason ?? 'the documents do not say', traceId: body.traceId });
      return result({
        refused: false,
        answer: body.answer,
        sentences: body.sentences,
        citations: body.citations.map((citation) => ({
          n: citation.n,
          title: citation.title,
          page: citation.page,
          pageEnd: citation.pageEnd ?? null,
          headingPath: citation.headingPath ?? null,
          quote: citation.quote,
          start: citation.start,
          end: citation.end,
          verified: citation.verified,
          documentId: citation.documentId,
          versionId: citation.versionId,
        })),
        traceId: body.traceId,
      });
    },
  );

  return server;
}
