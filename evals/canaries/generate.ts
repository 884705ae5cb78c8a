import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/core/db/client';
import type { IndexBuild } from '../../src/core/db/schema';
import { analyze } from '../../indexes/analyzer';

export interface CanaryProposal {
  query: string;
  expect: { documentId: string };
  k: number;
  source: { chunkId: string; documentId: string; title: string; sentence: string };
}

const SENTENCE = /[^.!?\n]+[.!?]?/g;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'_.-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;

/** The sentence with the most distinct content terms: the most likely to be findable and specific. */
export function distinctiveSentence(text: string): string | undefined {
  let best: { sentence: string; score: number } | undefined;
  for (const match of text.matchAll(SENTENCE)) {
    const sentence = match[0].trim();
    if (sentence.length < 30 || sentence.length > 400) continue;
    const score = new Set(analyze(sentence)).size;
    if (!best || score > best.score) best = { sentence, score };
  }
  return best?.sentence;
}

/**
 * Turns a sentence into a keyword query the way a support agent would type it:
 * its longest distinct content words (identifiers and numbers first), in order.
 */
export function sentenceToQuery(sentence: string, maxWords = 7): string {
  const words = [...sentence.matchAll(WORD)].map((match) => match[0]);
  const content = words.filter((word) => analyze(word).length > 0);
  const seen = new Set<string>();
  const distinct = content.filter((word) => {
    const key = word.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const weight = (word: string) => (/\d/.test(word) ? 100 : 0) + word.length;
  const chosen = new Set([...distinct].sort((a, b) => weight(b) - weight(a)).slice(0, maxWords));
  return distinct.filter((word) => chosen.has(word)).join(' ');
}

/** Proposes canaries from a build's own chunks (a stable pseudo-random sample), for review. */
export async function proposeCanaries(db: Db, build: IndexBuild, count: number): Promise<CanaryProposal[]> {
  const rows = await queryRows<{ chunk_id: string; document_id: string; title: string; text: string }>(
    db,
    sql`SELECT c.id AS chunk_id, c.document_id, d.title, c.text
        FROM build_chunks bc JOIN chunks c ON c.id = bc.chunk_id JOIN documents d ON d.id = c.document_id
        WHERE bc.build_id = ${build.id} AND bc.tenant_id = ${build.tenantId} AND bc.corpus_id = ${build.corpusId}
        ORDER BY md5(c.id::text) LIMIT ${Math.max(1, count) * 3}`,
  );
  const proposals: CanaryProposal[] = [];
  const usedDocuments = new Set<string>();
  for (const row of rows) {
    if (proposals.length >= count) break;
    if (usedDocuments.has(row.document_id)) continue;
    const sentence = distinctiveSentence(row.text);
    if (!sentence) continue;
    const query = sentenceToQuery(sentence);
    if (query.split(' ').length < 3) continue;
    usedDocuments.add(row.document_id);
    proposals.push({ query, expect: { documentId: row.document_id }, k: 10, source: { chunkId: row.chunk_id, documentId: row.document_id, title: row.title, sentence } });
  }
  return proposals;
}
