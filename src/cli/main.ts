import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAttestClient, type Answer } from '../client';
import { ask, type Output } from './ask';
import { apiErrorLine, cliConfig, UsageError } from './config';
import { formatSummary, ingest } from './ingest';

const USAGE = `usage: attest <command> [options]

commands:
  ingest <files or directories...> --corpus NAME [--concurrency 4] [--state FILE] [--no-wait]
      upload new and changed files (unchanged ones are skipped by hash; an interrupted run resumes)
  ask "question" --corpus NAME [--json]
      stream the answer and print its citations; exit code 3 when the documents don't say
  canaries list --corpus NAME
  canaries run --corpus NAME
      the corpus's recall canaries, and a run of them now (exit code 4 when recall is below the threshold)
  eval --corpus NAME --questions FILE.jsonl
      ask each {"question", "answers"?: [..], "unanswerable"?: true} line and report answer and refusal rates
  mcp
      serve the MCP tools over stdio (search_documents, answer_with_citations, list_corpora)

options for every command:
  --url URL          server (ATTEST_URL; default http://127.0.0.1:3000)
  --api-key KEY      API key (ATTEST_API_KEY)
  -h, --help`;

const stdio: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

const common = { url: { type: 'string' }, 'api-key': { type: 'string' }, corpus: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function requireCorpus(corpus: string | undefined): string {
  if (!corpus) throw new UsageError('--corpus NAME is required');
  return corpus;
}

const evalLine = z.object({ question: z.string().min(1), answers: z.array(z.string()).optional(), unanswerable: z.boolean().optional() });

export async function main(argv: string[], io: Output = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.out(`${USAGE}\n`);
      return command ? 0 : 2;
    }
    switch (command) {
      case 'ingest': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...common, concurrency: { type: 'string', default: '4' }, state: { type: 'string' }, 'no-wait': { type: 'boolean' } } });
        if (values.help) return (io.out(`${USAGE}\n`), 0);
        if (positionals.length === 0) throw new UsageError('give files or directories to ingest');
        const concurrency = Number(values.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be an integer from 1 to 64');
        const config = cliConfig(values);
        const summary = await ingest(config, { paths: positionals, corpus: requireCorpus(values.corpus), concurrency, statePath: values.state, wait: !values['no-wait'], progress: process.stderr.isTTY === true }, io);
        io.out(formatSummary(summary));
        return summary.failed.length > 0 ? 1 : 0;
      }
      case 'ask': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...common, json: { type: 'boolean' } } });
        if (values.help) return (io.out(`${USAGE}\n`), 0);
        const question = positionals.join(' ').trim();
        if (!question) throw new UsageError('give the question in quotes');
        return await ask(cliConfig(values), { corpus: requireCorpus(values.corpus), question, json: values.json === true }, io);
      }
      case 'canaries': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: common });
        const action = positionals[0];
        if (action !== 'list' && action !== 'run') throw new UsageError('canaries list|run --corpus NAME');
        const config = cliConfig(values);
        const client = createAttestClient({ baseUrl: config.url, apiKey: config.apiKey });
        const corpus = requireCorpus(values.corpus);
        if (action === 'list') {
          const { data, error, response } = await client.GET('/v1/corpora/{corpus}/canaries', { params: { path: { corpus } } });
          if (!data) return (io.err(`${apiErrorLine(error, response.status)}\n`), 1);
          for (const canary of data.canaries) io.out(`${canary.id}  k=${canary.k}  ${canary.query}\n`);
          io.out(`${data.canaries.length} canaries\n`);
          return 0;
        }
        const { data, error, response } = await client.POST('/v1/corpora/{corpus}/canaries/run', { params: { path: { corpus } } });
        if (!data) return (io.err(`${apiErrorLine(error, response.status)}\n`), 1);
        io.out(`recall@k ${data.recallAtK ?? 'n/a'}  mrr ${data.mrr ?? 'n/a'}  ${data.hits}/${data.total} found\n`);
        // An alert is raised when recall fell below the corpus's threshold (or dropped from the last run).
        if (data.alerted) io.out('alert raised: recall is below the threshold\n');
        return data.alerted ? 4 : 0;
      }
      case 'eval': {
        const { values } = parseArgs({ args: rest, options: { ...common, questions: { type: 'string' } } });
        if (!values.questions) throw new UsageError('--questions FILE.jsonl is required');
        const config = cliConfig(values);
        const client = createAttestClient({ baseUrl: config.url, apiKey: config.apiKey });
        const corpus = requireCorpus(values.corpus);
        const lines = (await readFile(values.questions, 'utf8')).split('\n').filter((line) => line.trim());
        let answerable = 0, answered = 0, correct = 0, unanswerable = 0, refusedWhenUnanswerable = 0, errors = 0;
        for (const [index, line] of lines.entries()) {
          const parsed = evalLine.safeParse(JSON.parse(line));
          if (!parsed.success) throw new UsageError(`${values.questions}:${index + 1}: ${parsed.error.issues[0]?.message}`);
          const item = parsed.data;
          const response = await client.POST('/v1/corpora/{corpus}/answers', { params: { path: { corpus } }, body: { question: item.question } });
          // Asked without `Accept: text/event-stream`: the JSON answer of the 200's two media types.
          const data = response.data as Answer | undefined;
          if (!data) {
            errors++;
            continue;
          }
          if (item.unanswerable) {
            unanswerable++;
            if (data.refused) refusedWhenUnanswerable++;
          } else {
            answerable++;
            if (!data.refused) answered++;
            const text = data.answer.toLowerCase();
            if (!data.refused && (item.answers ?? []).some((answer) => text.includes(answer.toLowerCase()))) correct++;
          }
        }
        const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(3));
        io.out(`questions ${lines.length}  answerable ${answerable}: answered ${ratio(answered, answerable)}, contains an expected answer ${ratio(correct, answerable)}  unanswerable ${unanswerable}: refused ${ratio(refusedWhenUnanswerable, unanswerable)}  errors ${errors}\n`);
        return errors > 0 ? 1 : 0;
      }
      case 'mcp': {
        const { values } = parseArgs({ args: rest, options: common });
        const { serveStdio } = await import('../mcp/stdio');
        await serveStdio(cliConfig(values));
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`attest: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') {
      io.err('attest: the server does not answer; is it running? (ATTEST_URL / --url)\n');
      return 1;
    }
    io.err(`attest: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
