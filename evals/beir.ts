import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

/**
 * Streaming readers for the BEIR dataset layout (corpus.jsonl, queries.jsonl,
 * qrels/<split>.tsv). Line by line, so a multi-gigabyte corpus never has to be
 * held as one string; every line is validated and a bad one is reported with
 * its file and line number, because a silently skipped judgment would skew
 * every metric computed from it.
 */

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirJudgment {
  queryId: string;
  docId: string;
  relevance: number;
}

export interface BeirDataset {
  corpus: Map<string, BeirDocument>;
  /** Only the queries that have judgments in the split, in queries.jsonl order. */
  queries: Map<string, BeirQuery>;
  /** query id → (document id → relevance grade). */
  qrels: Map<string, Map<string, number>>;
  /** Judged documents absent from the corpus (they stay in qrels: unretrievable, as in trec_eval). */
  missingDocuments: number;
}

export class BeirFormatError extends Error {
  readonly file: string;
  /** null when the problem is not on one line (a cross-file inconsistency). */
  readonly line: number | null;

  constructor(file: string, line: number | null, problem: string) {
    super(line === null ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'BeirFormatError';
    this.file = file;
    this.line = line;
  }
}

// Some BEIR exports write numeric ids; they are identifiers, so keep them as strings.
const idSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

const documentSchema = z.object({
  _id: idSchema,
  title: z.string().optional().default(''),
  text: z.string(),
});

const querySchema = z.object({ _id: idSchema, text: z.string() });

const QRELS_HEADER = ['query-id', 'corpus-id', 'score'];

async function* numberedLines(file: string): AsyncGenerator<{ line: string; number: number }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    yield { line: line.replace(/^\uFEFF/, ''), number };
  }
}

async function* readJsonLines<T>(file: string, schema: z.ZodType<T>): AsyncGenerator<{ row: T; line: number }> {
  for await (const { line, number } of numberedLines(file)) {
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new BeirFormatError(file, number, `invalid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new BeirFormatError(file, number, z.prettifyError(parsed.error).replace(/\n/g, '; '));
    yield { row: parsed.data, line: number };
  }
}

async function* readCorpusLines(file: string): AsyncGenerator<{ document: BeirDocument; line: number }> {
  for await (const { row, line } of readJsonLines(file, documentSchema)) {
    yield { document: { id: row._id, title: row.title, text: row.text }, line };
  }
}

async function* readQrelsLines(file: string): AsyncGenerator<{ judgment: BeirJudgment; line: number }> {
  let sawHeader = false;
  for await (const { line, number } of numberedLines(file)) {
    if (line.trim().length === 0) continue;
    // BEIR writes tabs; some hand-made qrels use spaces. Ids never contain either.
    const fields = line.trim().split(line.includes('\t') ? '\t' : /\s+/);
    if (!sawHeader) {
      sawHeader = true;
      if (fields.join(' ') !== QRELS_HEADER.join(' ')) {
        throw new BeirFormatError(file, number, `expected header "${QRELS_HEADER.join('\\t')}", got "${line}"`);
      }
      continue;
    }
    const [queryId, docId, score] = fields;
    if (fields.length !== 3 || queryId === undefined || docId === undefined || score === undefined) {
      throw new BeirFormatError(file, number, `expected 3 tab-separated fields, got ${fields.length}`);
    }
    if (!/^-?\d+$/.test(score)) throw new BeirFormatError(file, number, `score must be an integer, got "${score}"`);
    yield { judgment: { queryId, docId, relevance: Number(score) }, line: number };
  }
}

export async function* readCorpus(file: string): AsyncGenerator<BeirDocument> {
  for await (const { document } of readCorpusLines(file)) yield document;
}

export async function* readQueries(file: string): AsyncGenerator<BeirQuery> {
  for await (const { row } of readJsonLines(file, querySchema)) yield { id: row._id, text: row.text };
}

/** Reads `query-id<TAB>corpus-id<TAB>score`; the header line is required, as BEIR writes it. */
export async function* readQrels(file: string): AsyncGenerator<BeirJudgment> {
  for await (const { judgment } of readQrelsLines(file)) yield judgment;
}

async function loadQrels(file: string): Promise<Map<string, Map<string, number>>> {
  const qrels = new Map<string, Map<string, number>>();
  for await (const { judgment, line } of readQrelsLines(file)) {
    const forQuery = qrels.get(judgment.queryId) ?? new Map<string, number>();
    if (forQuery.has(judgment.docId)) {
      throw new BeirFormatError(file, line, `duplicate judgment for query ${judgment.queryId}, document ${judgment.docId}`);
    }
    forQuery.set(judgment.docId, judgment.relevance);
    qrels.set(judgment.queryId, forQuery);
  }
  return qrels;
}

/**
 * Loads a BEIR dataset directory for one split. Queries without judgments in
 * the split are dropped (BEIR evaluates only judged queries); a judged query
 * missing from queries.jsonl is an error, since the eval would silently skip it.
 */
export async function loadBeir(dir: string, split: string): Promise<BeirDataset> {
  const qrelsFile = join(dir, 'qrels', `${split}.tsv`);
  const queriesFile = join(dir, 'queries.jsonl');
  const corpusFile = join(dir, 'corpus.jsonl');
  const qrels = await loadQrels(qrelsFile);

  const queries = new Map<string, BeirQuery>();
  for await (const query of readQueries(queriesFile)) if (qrels.has(query.id)) queries.set(query.id, query);
  const unknownQuery = [...qrels.keys()].find((id) => !queries.has(id));
  if (unknownQuery !== undefined) {
    throw new BeirFormatError(qrelsFile, null, `query ${unknownQuery} is judged but absent from ${queriesFile}`);
  }

  const corpus = new Map<string, BeirDocument>();
  for await (const { document, line } of readCorpusLines(corpusFile)) {
    if (corpus.has(document.id)) throw new BeirFormatError(corpusFile, line, `duplicate document id ${document.id}`);
    corpus.set(document.id, document);
  }

  let missingDocuments = 0;
  for (const judged of qrels.values()) for (const docId of judged.keys()) if (!corpus.has(docId)) missingDocuments++;
  return { corpus, queries, qrels, missingDocuments };
}
