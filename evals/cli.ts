import { parseArgs } from 'node:util';
import { formatRetrievalTable, runRetrievalEval, writeRetrievalJson } from './retrieval-eval';

const USAGE = `usage:
  npm run eval -- retrieval --beir <dir> [--split test] [--k 10] [--json out.json] [--database-url URL] [--sample-queries N] [--max-docs N] [--min-ndcg10 X]
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
  const bar = values['min-ndcg10'] ? Number(values['min-ndcg10']) : undefined;
  if (bar !== undefined) {
    const best = report.rows.find((row) => row.retriever === 'hybrid+rerank');
    const bm25 = report.rows.find((row) => row.retriever === 'bm25');
    const failing = [best, bm25].filter((row) => row && row.ndcg10 < bar);
    if (failing.length > 0) {
      process.stderr.write(`retrieval quality gate FAILED: ${failing.map((row) => `${row?.retriever} nDCG@10 ${row?.ndcg10.toFixed(4)}`).join(', ')} < ${bar}\n`);
      return 1;
    }
    process.stderr.write(`retrieval quality gate passed: bm25 and hybrid+rerank nDCG@10 ≥ ${bar}\n`);
  }
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
