/**
 * The follow-up eval, built by script from SQuAD 2.0: pairs of questions on one paragraph, the second made
 * elliptical by replacing the subject it shares with the first by a pronoun. It asks turn 2 three ways:
 * the original question alone, the elliptical one alone (no rewrite), and the elliptical one as turn 2 of
 * a conversation (rewritten). `npm run eval -- followup --dir ../shared/datasets/squad2`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { rewriteFollowUp } from '../src/conversations/rewrite';
import { ingestTexts, openHarness } from './harness';
import { readJsonl } from './qa-eval';

const contextSchema = z.object({ _id: z.string(), title: z.string().default(''), text: z.string() });
const qaSchema = z.object({ id: z.string(), question: z.string(), answers: z.array(z.string()), is_impossible: z.boolean(), context_id: z.string() });
type Qa = z.infer<typeof qaSchema>;

export interface FollowUpPair {
  first: Qa;
  second: Qa;
  /** The second question with the shared subject replaced by a pronoun. */
  elliptical: string;
  subject: string;
}

const STOP = new Set(['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'the', 'a', 'an', 'of', 'in', 'on', 'at', 'to', 'for', 'by', 'with', 'from', 'and', 'or', 'is', 'are', 'was', 'were', 'be', 'been', 'did', 'does', 'do', 'has', 'have', 'had', 'that', 'this', 'it', 'its', 'many', 'much', 'there', 'as', 'what\'s', 'not', 'can', 'could', 'would', 'will', 'year', 'one', 'type', 'kind', 'name', 'called']);

function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
}

/**
 * The longest run of words both questions share, made of content words (a name preferred): "the Normans"
 * in "When were the Normans in Normandy?" and "What is the Normans' religion?".
 */
export function sharedSubject(first: string, second: string): string | undefined {
  const a = words(first);
  const b = words(second);
  let best: string[] = [];
  for (let i = 0; i < b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) {
      const run = b.slice(i, j);
      if (run.some((word) => STOP.has(word.toLowerCase()))) break;
      const phrase = run.join(' ');
      if (!a.join(' ').toLowerCase().includes(phrase.toLowerCase())) break;
      const better = run.length > best.length || (run.length === best.length && /^\p{Lu}/u.test(run[0] ?? '') && !/^\p{Lu}/u.test(best[0] ?? ''));
      if (better) best = run;
    }
  }
  // A single lowercase common word is not a subject worth a pronoun.
  if (best.length === 0 || (best.length === 1 && !/^[\p{Lu}\p{N}]/u.test(best[0] ?? ''))) return undefined;
  return best.join(' ');
}

/** Replaces the subject (and an article before it) by a pronoun: "its" for a possessive, "it" otherwise. */
export function makeElliptical(question: string, subject: string): string | undefined {
  const escaped = subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const possessive = new RegExp(`\\b(?:the\\s+)?${escaped}(?:'s|’s|')(?=\\s)`, 'iu');
  if (possessive.test(question)) return question.replace(possessive, 'its');
  const plain = new RegExp(`\\b(?:the\\s+)?${escaped}\\b`, 'iu');
  if (!plain.test(question)) return undefined;
  return question.replace(plain, 'it');
}

export function buildPairs(questions: Qa[], limit: number): FollowUpPair[] {
  const byContext = new Map<string, Qa[]>();
  for (const qa of questions) byContext.set(qa.context_id, [...(byContext.get(qa.context_id) ?? []), qa]);
  const pairs: FollowUpPair[] = [];
  for (const group of byContext.values()) {
    const firsts = group.filter((qa) => !qa.is_impossible);
    for (const first of firsts) {
      for (const second of group) {
        if (second === first || pairs.some((pair) => pair.second.id === second.id)) continue;
        const subject = sharedSubject(first.question, second.question);
        const elliptical = subject ? makeElliptical(second.question, subject) : undefined;
        if (!subject || !elliptical || elliptical === second.question) continue;
        pairs.push({ first, second, elliptical, subject });
        break;
      }
      if (pairs.length >= limit) return pairs;
    }
  }
  return pairs;
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

export interface FollowUpReport {
  pairs: number;
  answerable: number;
  unanswerable: number;
  recall: { original: number; raw: number; rewritten: number };
  /** Rewritten recall over the original question's. */
  rewrittenOverOriginal: number;
  refusalRecall: { original: number; raw: number; rewritten: number };
  rewriteP95Ms: number;
  examples: { elliptical: string; standalone: string; original: string }[];
}

export async function runFollowUpEval(options: { dir: string; limit: number; log?: (line: string) => void }): Promise<FollowUpReport> {
  const log = options.log ?? (() => undefined);
  const contexts = [];
  for await (const context of readJsonl(path.join(options.dir, 'contexts.jsonl'), contextSchema)) contexts.push(context);
  const questions: Qa[] = [];
  for await (const qa of readJsonl(path.join(options.dir, 'qa_all.jsonl'), qaSchema)) questions.push(qa);
  const pairs = buildPairs(questions, options.limit);
  const used = new Set(pairs.flatMap((pair) => [pair.first.context_id]));
  const harness = await openHarness({});
  try {
    log(`${pairs.length} pairs over ${used.size} paragraphs; ingesting ${contexts.length} contexts…`);
    await ingestTexts(harness, contexts.map((context) => ({ externalId: context._id, title: context.title, text: context.text })));
    const { answers, conversations } = harness.container.services;
    const tenantId = harness.corpus.tenantId;
    const hits = { original: 0, raw: 0, rewritten: 0 };
    const refusals = { original: 0, raw: 0, rewritten: 0 };
    const rewriteMs: number[] = [];
    const examples: FollowUpReport['examples'] = [];
    const score = (kind: keyof typeof hits, second: Qa, body: { refused: boolean; answer: string }) => {
      if (second.is_impossible) {
        if (body.refused) refusals[kind] += 1;
      } else if (!body.refused && second.answers.some((gold) => fold(body.answer).includes(fold(gold)))) hits[kind] += 1;
    };
    for (const [index, pair] of pairs.entries()) {
      score('original', pair.second, await answers.answer(harness.corpus, pair.second.question, { k: 8 }));
      score('raw', pair.second, await answers.answer(harness.corpus, pair.elliptical, { k: 8 }));
      const started = performance.now();
      const rewrite = rewriteFollowUp(pair.elliptical, { standaloneQuestion: pair.first.question });
      rewriteMs.push(performance.now() - started);
      const conversation = await conversations.create(tenantId, harness.corpus, {});
      await conversations.ask(tenantId, conversation.id, async () => harness.corpus, pair.first.question, {});
      const turn = await conversations.ask(tenantId, conversation.id, async () => harness.corpus, pair.elliptical, {});
      score('rewritten', pair.second, turn);
      if (examples.length < 8) examples.push({ elliptical: pair.elliptical, standalone: rewrite.standaloneQuestion, original: pair.second.question });
      if ((index + 1) % 50 === 0) log(`  ${index + 1}/${pairs.length}`);
    }
    const answerable = pairs.filter((pair) => !pair.second.is_impossible).length;
    const unanswerable = pairs.length - answerable;
    const rate = (value: number, total: number) => (total === 0 ? 0 : value / total);
    rewriteMs.sort((a, b) => a - b);
    const recall = { original: rate(hits.original, answerable), raw: rate(hits.raw, answerable), rewritten: rate(hits.rewritten, answerable) };
    return {
      pairs: pairs.length,
      answerable,
      unanswerable,
      recall,
      rewrittenOverOriginal: recall.original === 0 ? 0 : recall.rewritten / recall.original,
      refusalRecall: { original: rate(refusals.original, unanswerable), raw: rate(refusals.raw, unanswerable), rewritten: rate(refusals.rewritten, unanswerable) },
      rewriteP95Ms: rewriteMs[Math.floor(rewriteMs.length * 0.95)] ?? 0,
      examples,
    };
  } finally {
    await harness.close();
  }
}

export async function runFollowUpCli(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: 'string' }, json: { type: 'string' }, limit: { type: 'string', default: '200' } } });
  if (!values.dir) {
    process.stderr.write('--dir <dir> is required (SQuAD 2.0: contexts.jsonl and qa_all.jsonl)\n');
    return 2;
  }
  const report = await runFollowUpEval({ dir: values.dir, limit: Number(values.limit), log: (line) => process.stderr.write(`${line}\n`) });
  const f = (value: number) => value.toFixed(4);
  const lines = [
    `pairs                 ${report.pairs} (${report.answerable} answerable second turns, ${report.unanswerable} unanswerable)`,
    `turn-2 answer recall  original ${f(report.recall.original)}  elliptical, no rewrite ${f(report.recall.raw)}  elliptical, rewritten ${f(report.recall.rewritten)}`,
    `rewritten / original  ${f(report.rewrittenOverOriginal)} (target ≥ 0.8)`,
    `turn-2 refusal recall original ${f(report.refusalRecall.original)}  no rewrite ${f(report.refusalRecall.raw)}  rewritten ${f(report.refusalRecall.rewritten)}`,
    `rewrite p95           ${report.rewriteP95Ms.toFixed(3)} ms (deterministic, in-process)`,
    ...report.examples.map((example) => `  "${example.elliptical}" → "${example.standalone}"  (original: "${example.original}")`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const { examples: _examples, ...json } = report;
  process.stdout.write(`${JSON.stringify(json)}\n`);
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
  return 0;
}
