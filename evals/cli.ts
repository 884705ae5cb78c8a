import { parseArgs } from 'node:util';
import { formatRetrievalTable, runRetrievalEval, writeRetrievalJson } from './retrieval-eval';

const USAGE = `usage:
  npm run eval -- retrieval --beir <dir> [--split test] [--k 10] [--json out.json] [--database-url URL] [--sample-queries N] [--max-docs N] [--min-ndcg10 X]
      [--min-vector-ndcg10 X] [--min-gain-over-bm25 X]
  npm run eval -- qa --dir <dir> [--json out.json] [--limit N]
  npm run eval -- followup --dir <squad2 dir> [--json out.json] [--limit 200]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function numbers(list: string): number[] {
  return list.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isFinite(value) || value < 0) fail(`not a number list: ${list}`);
    return value;
  });
}

async function retrieval(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      beir: { type: 'string' },
      split: { type: 'string', default: 'test' },
      k: { type: 'string', default: '10' },
      json: { type: 'string' },
      'database-url': { type: 'string' },
      'sample-queries': { type: 'string' },
      'max-docs': { type: 'string' },
      'min-ndcg10': { type: 'string' },
      /** The vector retriever alone at least this (a gate on the neural embedder). */
      'min-vector-ndcg10': { type: 'string' },
      /** hybrid+rerank at least this much above BM25 (the vector leg must add something). */
      'min-gain-over-bm25': { type: 'string' },
      'sweep-vector-weights': { type: 'string' },
      'sweep-rerank-candidates': { type: 'string' },
      'sweep-rrf-k': { type: 'string' },
    },
  });
  if (!values.beir) fail('--beir <dir> is required');
  const report = await runRetrievalEval({
    beir: values.beir,
    split: values.split,
    k: Number(values.k),
    databaseUrl: values['database-url'],
    sampleQueries: values['sample-queries'] ? Number(values['sample-queries']) : undefined,
    maxDocuments: values['max-docs'] ? Number(values['max-docs']) : undefined,
    log: (line) => process.stderr.write(`${line}\n`),
    sweep: values['sweep-vector-weights']
      ? {
          vectorWeights: numbers(values['sweep-vector-weights']),
          rerankCandidates: values['sweep-rerank-candidates'] ? numbers(values['sweep-rerank-candidates']) : [30],
          rrfKs: values['sweep-rrf-k'] ? numbers(values['sweep-rrf-k']) : [60],
        }
      : undefined,
  });
  process.stdout.write(`${formatRetrievalTable(report)}\n`);
  process.stdout.write(`${JSON.stringify({ dataset: report.dataset, split: report.split, queries: report.queries, rows: report.rows })}\n`);
  if (values.json) writeRetrievalJson(values.json, report);
  const ndcg = (retriever: string) => report.rows.find((row) => row.retriever === retriever)?.ndcg10 ?? Number.NaN;
  const checks: { what: string; value: number; bar: number }[] = [];
  const bar = values['min-ndcg10'] ? Number(values['min-ndcg10']) : undefined;
  if (bar !== undefined) checks.push({ what: 'bm25 nDCG@10', value: ndcg('bm25'), bar }, { what: 'hybrid+rerank nDCG@10', value: ndcg('hybrid+rerank'), bar });
  if (values['min-vector-ndcg10']) checks.push({ what: 'vector nDCG@10', value: ndcg('vector'), bar: Number(values['min-vector-ndcg10']) });
  if (values['min-gain-over-bm25']) checks.push({ what: 'hybrid+rerank − bm25 nDCG@10', value: ndcg('hybrid+rerank') - ndcg('bm25'), bar: Number(values['min-gain-over-bm25']) });
  if (checks.length === 0) return 0;
  // NaN (a retriever missing from the report) fails too.
  const failing = checks.filter((check) => !(check.value >= check.bar));
  const list = (items: typeof checks, relation: string) => items.map((check) => `${check.what} ${check.value.toFixed(4)} ${relation} ${check.bar}`).join(', ');
  if (failing.length > 0) {
    process.stderr.write(`retrieval quality gate FAILED: ${list(failing, '<')}\n`);
    return 1;
  }
  process.stderr.write(`retrieval quality gate passed: ${list(checks, '≥')}\n`);
  return 0;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'retrieval':
      process.exit(await retrieval(rest));
      break;
    case 'qa': {
      const { runQaCli } = await import('./qa-eval');
      process.exit(await runQaCli(rest));
      break;
    }
    case 'followup': {
      const { runFollowUpCli } = await import('./followup-eval');
      process.exit(await runFollowUpCli(rest));
      break;
    }
    default:
      fail(`unknown eval "${command ?? ''}"`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`eval failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
