import { appendFileSync, createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { documentVersions } from '../src/core/db/schema';
import type { Corpus } from '../src/core/db/schema';
import { ingestTexts, openHarness, type EvalHarness } from './harness';

const contextSchema = z.object({ _id: z.string(), title: z.string().default(''), text: z.string() });
const qaSchema = z.object({
  id: z.string(),
  question: z.string(),
  answers: z.array(z.string()),
  is_impossible: z.boolean(),
  context_id: z.string(),
});

export async function* readJsonl<T>(file: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  let line = 0;
  for await (const raw of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line += 1;
    if (raw.trim() === '') continue;
    const parsed = schema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new Error(`${file}:${line}: ${parsed.error.issues[0]?.message ?? 'invalid record'}`);
    yield parsed.data;
  }
}

export interface QaReport {
  questions: number;
  answerable: number;
  unanswerable: number;
  answerRecall: number;
  refusalPrecision: number;
  refusalRecall: number;
  citationValidity: number;
  goldContextCited: number;
  generator: string;
  citations: number;
  p50Ms: number;
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);

export interface QaEvalOptions {
  /** contexts.jsonl (and qa.jsonl unless `qa` is given). */
  dir?: string | undefined;
  /** Markdown pages under this directory are the corpus instead (context_id: their path relative to it). */
  docs?: string | undefined;
  /** The questions file (default: <dir>/qa.jsonl). */
  qa?: string | undefined;
  /**
   * Every question is put to the paragraphs of another article (the next title in order), where it has no
   * answer: all are scored as unanswerable. Off-topic context, the refusal test a retriever cannot help with.
   */
  crossArticle?: boolean | undefined;
  limit?: number | undefined;
  databaseUrl?: string | undefined;
  env?: Record<string, string> | undefined;
  log?: (line: string) => void;
  /** Called per question with what the answer was (for calibration: --details). */
  onAnswer?: (record: { id: string; impossible: boolean; refused: boolean; reason: string | null; hit: boolean; answer: string }) => void;
}

function markdownFiles(root: string, under = ''): string[] {
  return readdirSync(path.join(root, under), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(under, entry.name);
    if (entry.isDirectory()) return markdownFiles(root, relative);
    return entry.name.endsWith('.md') ? [relative] : [];
  });
}

async function ingestMarkdown(harness: EvalHarness, root: string): Promise<Map<string, string>> {
  const byDocumentId = new Map<string, string>();
  for (const file of markdownFiles(root)) {
    const result = await harness.container.services.ingestion.upload({ corpus: harness.corpus, bytes: readFileSync(path.join(root, file)), mime: 'text/markdown', fileName: path.basename(file), externalId: file });
    byDocumentId.set(result.documentId, file);
  }
  await harness.jobs.idle();
  return byDocumentId;
}

export async function runQaEval(options: QaEvalOptions): Promise<QaReport> {
  const log = options.log ?? (() => undefined);
  const contexts = [];
  if (options.dir) for await (const context of readJsonl(path.join(options.dir, 'contexts.jsonl'), contextSchema)) contexts.push(context);
  const qaFile = options.qa ?? (options.dir ? path.join(options.dir, 'qa.jsonl') : undefined);
  if (!qaFile) throw new Error('--dir or --qa is required');
  const questions = [];
  for await (const qa of readJsonl(qaFile, qaSchema)) questions.push(options.crossArticle ? { ...qa, is_impossible: true } : qa);
  const selected = options.limit ? questions.slice(0, options.limit) : questions;
  const harness = await openHarness({ databaseUrl: options.databaseUrl, ...(options.env ? { env: options.env } : {}) });
  try {
    const externalOf = new Map<string, string>();
    /** Per question: the corpus it is put to (the harness corpus, or with crossArticle another article's). */
    let corpusFor = (_contextId: string): Corpus => harness.corpus;
    if (options.docs) {
      log(`ingesting the Markdown pages under ${options.docs}…`);
      for (const [id, file] of await ingestMarkdown(harness, options.docs)) externalOf.set(id, file);
    } else if (options.crossArticle) {
      const titles = [...new Set(contexts.map((context) => context.title))].sort();
      const corpora = new Map<string, Corpus>();
      for (const title of titles) {
        const corpus = await harness.container.services.corpora.create(harness.corpus.tenantId, `${harness.corpus.name}-${corpora.size}`);
        const ingested = await ingestTexts({ ...harness, corpus }, contexts.filter((context) => context.title === title).map((context) => ({ externalId: context._id, title: context.title, text: context.text })));
        for (const [id, external] of ingested) externalOf.set(id, external);
        corpora.set(title, corpus);
      }
      log(`ingested ${contexts.length} contexts into ${titles.length} per-article corpora`);
      const titleOf = new Map(contexts.map((context) => [context._id, context.title]));
      corpusFor = (contextId) => corpora.get(titles[(titles.indexOf(titleOf.get(contextId) ?? '') + 1) % titles.length] ?? '') ?? harness.corpus;
    } else {
      log(`ingesting ${contexts.length} contexts…`);
      for (const [id, external] of await ingestTexts(harness, contexts.map((context) => ({ externalId: context._id, title: context.title, text: context.text })))) externalOf.set(id, external);
    }
    const answers = harness.container.services.answers;
    const current = new Map<string, Corpus>();
    const fresh = async (corpus: Corpus): Promise<Corpus> => {
      // Uploads moved the corpus's generation and active build: the answer path reads the row as a request would.
      let row = current.get(corpus.id);
      if (!row) {
        row = (await harness.container.services.corpora.find(corpus.tenantId, corpus.id)) ?? corpus;
        current.set(corpus.id, row);
      }
      return row;
    };
    let answerHits = 0;
    let refusedImpossible = 0;
    let refusedTotal = 0;
    let citationsTotal = 0;
    let citationsValid = 0;
    let goldCited = 0;
    let answeredAnswerable = 0;
    const latencies: number[] = [];
    const generator = harness.container.providers.chain.providers.map((provider) => `${provider.provider}:${provider.modelId}`).join('>');
    for (const [index, qa] of selected.entries()) {
      const body = await answers.answer(await fresh(corpusFor(qa.context_id)), qa.question, { k: 8 });
      latencies.push(body.timings.totalMs);
      const hit = !body.refused && qa.answers.some((gold) => fold(body.answer).includes(fold(gold)));
      options.onAnswer?.({ id: qa.id, impossible: qa.is_impossible, refused: body.refused, reason: body.refusalReason, hit, answer: body.answer });
      if (body.refused) {
        refusedTotal += 1;
        if (qa.is_impossible) refusedImpossible += 1;
      } else if (!qa.is_impossible) {
        answeredAnswerable += 1;
        if (qa.answers.some((gold) => fold(body.answer).includes(fold(gold)))) answerHits += 1;
        if (body.citations.some((citation) => externalOf.get(citation.documentId) === qa.context_id)) goldCited += 1;
      }
      // Citation validity, checked independently of the verifier: the quote must be the stored text at its offsets.
      if (body.citations.length > 0) {
        const versions = await harness.container.store.db
          .select({ id: documentVersions.id, text: documentVersions.normalizedText })
          .from(documentVersions)
          .where(inArray(documentVersions.id, [...new Set(body.citations.map((citation) => citation.versionId))]));
        const textOf = new Map(versions.map((version) => [version.id, version.text ?? '']));
        for (const citation of body.citations) {
          citationsTotal += 1;
          if (textOf.get(citation.versionId)?.slice(citation.start, citation.end) === citation.quote) citationsValid += 1;
        }
      }
      if ((index + 1) % 100 === 0) log(`  answered ${index + 1}/${selected.length}`);
    }
    const answerable = selected.filter((qa) => !qa.is_impossible).length;
    const unanswerable = selected.length - answerable;
    latencies.sort((a, b) => a - b);
    return {
      questions: selected.length,
      answerable,
      unanswerable,
      answerRecall: ratio(answerHits, answerable),
      refusalPrecision: ratio(refusedImpossible, refusedTotal),
      refusalRecall: ratio(refusedImpossible, unanswerable),
      citationValidity: ratio(citationsValid, citationsTotal),
      goldContextCited: ratio(goldCited, answeredAnswerable),
      generator,
      citations: citationsTotal,
      p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
    };
  } finally {
    await harness.close();
  }
}

export async function runQaCli(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string' },
      docs: { type: 'string' },
      qa: { type: 'string' },
      'cross-article': { type: 'boolean' },
      json: { type: 'string' },
      limit: { type: 'string' },
      'database-url': { type: 'string' },
      'gate-floor': { type: 'string' },
      'extractive-floor': { type: 'string' },
      details: { type: 'string' },
    },
  });
  if (!values.dir && !(values.docs && values.qa)) {
    process.stderr.write('--dir <dir> (contexts.jsonl and qa.jsonl), or --docs <dir> with --qa <file>, is required\n');
    return 2;
  }
  const env: Record<string, string> = {};
  if (values['gate-floor']) env['GATE_RELEVANCE_FLOOR'] = values['gate-floor'];
  if (values['extractive-floor']) env['EXTRACTIVE_RELEVANCE_FLOOR'] = values['extractive-floor'];
  const report = await runQaEval({
    dir: values.dir,
    docs: values.docs,
    qa: values.qa,
    crossArticle: values['cross-article'],
    env,
    ...(values.details ? { onAnswer: (record: object) => appendFileSync(values.details!, `${JSON.stringify(record)}\n`) } : {}),
    limit: values.limit ? Number(values.limit) : undefined,
    databaseUrl: values['database-url'],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const rows: [string, string][] = [
    ['questions', `${report.questions} (${report.answerable} answerable, ${report.unanswerable} unanswerable)`],
    ['generator', report.generator],
    ['answer recall', report.answerRecall.toFixed(4)],
    ['refusal precision', report.refusalPrecision.toFixed(4)],
    ['refusal recall', report.refusalRecall.toFixed(4)],
    ['citation validity', `${report.citationValidity.toFixed(4)} (${report.citations} citations)`],
    ['gold context cited', report.goldContextCited.toFixed(4)],
    ['p50 latency ms', report.p50Ms.toFixed(1)],
  ];
  process.stdout.write(`${rows.map(([name, value]) => `${name.padEnd(20)} ${value}`).join('\n')}\n`);
  const { citations: _citations, p50Ms: _p50, ...json } = report;
  process.stdout.write(`${JSON.stringify(json)}\n`);
  if (values.json) writeFileSync(values.json, JSON.stringify(json, null, 2));
  return 0;
}
