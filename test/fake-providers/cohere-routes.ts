/**
 * Cohere v2 wire format: POST /v2/rerank (results with index and relevance_score,
 * scored by query-term overlap) and POST /v2/embed (embeddings by type: float).
 */
import { estimateTokens, hashVector, jsonReply, type RouteHandler, type SuccessRequest } from './behaviours';

const meta = (billed: Record<string, number>) => ({ api_version: { version: '2' }, billed_units: billed });

function cohereError(_status: number, message: string) {
  return { id: 'fake-error', message };
}

function terms(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
}

function rerankReply({ body, malformed }: SuccessRequest) {
  const query = terms(String(body['query'] ?? ''));
  const documents = Array.isArray(body['documents']) ? body['documents'].map(String) : [];
  const scored = documents.map((document, index) => {
    const words = terms(document);
    const overlap = [...query].filter((term) => words.has(term)).length;
    // Overlap first; earlier documents win ties.
    return { index, relevance_score: (overlap + 1 / (index + 2)) / (query.size + 1) };
  });
  scored.sort((left, right) => right.relevance_score - left.relevance_score);
  const topN = typeof body['top_n'] === 'number' ? body['top_n'] : scored.length;
  const results = scored.slice(0, topN);
  if (malformed && results[0]) results[0] = { ...results[0], index: documents.length + 5 };
  return jsonReply({ id: 'fake-rerank', results, meta: meta({ search_units: 1 }) });
}

function embedReply({ body, malformed }: SuccessRequest) {
  const texts = Array.isArray(body['texts']) ? body['texts'].map(String) : [];
  const requested = typeof body['output_dimension'] === 'number' ? body['output_dimension'] : 1536;
  const dimensions = malformed ? requested - 1 : requested;
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return jsonReply({
    id: 'fake-embed',
    embeddings: { float: texts.map((text) => hashVector(text, dimensions)) },
    texts,
    meta: meta({ input_tokens: tokens }),
    response_type: 'embeddings_by_type',
  });
}

export const cohereRoutes: RouteHandler[] = [
  { route: 'cohere.rerank', path: '/v2/rerank', success: rerankReply, errorBody: cohereError },
  { route: 'cohere.embed', path: '/v2/embed', success: embedReply, errorBody: cohereError },
];
