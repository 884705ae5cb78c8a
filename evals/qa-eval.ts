import { createReadStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { documentVersions } from '../src/core/db/schema';
import { ingestTexts, openHarness } from './harness';

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

export async function runQaEval(options: { dir: string; limit?: number | undefined; databaseUrl?: string | undefined; log?: (line: string) => void }): Promise<QaReport> {
  const log = options.log ?? (() => undefined);
  const contexts = [];
  for await (const context of readJsonl(path.join(options.dir, 'contexts.jsonl'), contextSchema)) contexts.push(context);
  const questions = [];
  for await (const qa of readJsonl(path.join(options.dir, 'qa.jsonl'), qaSchema)) questions.push(qa);
  const selected = options.limit ? questions.slice(0, options.limit) : questions;
  const harness = await openHarness({ databaseUrl: options.databaseUrl });
  try {
    log(`ingesting ${contexts.length} contexts…`);
    const externalOf = await ingestTexts(harness, contexts.map((context) => ({ externalId: context._id, title: context.title, text: context.text })));
    const answers = harness.container.services.answers;
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
      const body = await answers.answer(harness.corpus, qa.question, { k: 8 });
      latencies.push(body.timings.totalMs);
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
  const { values } = parseArgs({ args, options: { dir: { type: 'string' }, json: { type: 'string' }, limit: { type: 'string' }, 'database-url': { type: 'string' } } });
  if (!values.dir) {
    process.stderr.write('--dir <dir> is required (contexts.jsonl and qa.jsonl)\n');
    return 2;
  }
  const report = await runQaEval({
    dir: values.dir,
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
