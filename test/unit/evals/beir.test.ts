import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BeirFormatError, loadBeir, readCorpus, readQrels, readQueries } from '../../../evals/beir';

let dir: string;

async function writeDataset(files: { corpus?: string; queries?: string; qrels?: string }): Promise<void> {
  await mkdir(join(dir, 'qrels'), { recursive: true });
  await writeFile(
    join(dir, 'corpus.jsonl'),
    files.corpus ??
      [
        JSON.stringify({ _id: 'd1', title: 'Aspirin', text: 'Aspirin lowers fever.' }),
        JSON.stringify({ _id: 'd2', text: 'No title here.' }),
        JSON.stringify({ _id: 3, title: 'Numeric id', text: 'Kept as a string.', metadata: {} }),
      ].join('\n'),
  );
  await writeFile(
    join(dir, 'queries.jsonl'),
    files.queries ?? ['{"_id": "q1", "text": "Does aspirin lower fever?"}', '{"_id": "q2", "text": "unjudged"}', ''].join('\n'),
  );
  await writeFile(join(dir, 'qrels', 'test.tsv'), files.qrels ?? 'query-id\tcorpus-id\tscore\r\nq1\td1\t2\r\nq1\t3\t0\r\nq1\tgone\t1\r\n');
}

async function loadError(): Promise<BeirFormatError> {
  const error = await loadBeir(dir, 'test').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(BeirFormatError);
  return error as BeirFormatError;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attest-beir-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('loadBeir', () => {
  it('loads corpus, judged queries only, and graded qrels (CRLF, numeric ids, missing title)', async () => {
    await writeDataset({});
    const data = await loadBeir(dir, 'test');
    expect([...data.corpus.keys()]).toEqual(['d1', 'd2', '3']);
    expect(data.corpus.get('d2')).toEqual({ id: 'd2', title: '', text: 'No title here.' });
    expect([...data.queries.values()]).toEqual([{ id: 'q1', text: 'Does aspirin lower fever?' }]);
    expect(data.qrels.get('q1')).toEqual(
      new Map([
        ['d1', 2],
        ['3', 0],
        ['gone', 1],
      ]),
    );
    expect(data.missingDocuments).toBe(1);
  });

  it('names the file and line of invalid JSON or a missing field', async () => {
    await writeDataset({ corpus: '{"_id": "d1", "text": "ok"}\n\n{"_id": "d2", "text": ' });
    let error = await loadError();
    expect(error.message).toMatch(/corpus\.jsonl:3: invalid JSON/);
    expect(error.line).toBe(3);

    await writeDataset({ corpus: '{"_id": "d1", "title": "no text"}' });
    error = await loadError();
    expect(error.message).toMatch(/corpus\.jsonl:1: .*text/);
  });

  it('rejects a qrels file without its header, with a bad score, or with a duplicate judgment', async () => {
    await writeDataset({ qrels: 'q1\td1\t1\n' });
    expect((await loadError()).message).toMatch(/test\.tsv:1: expected header/);

    await writeDataset({ qrels: 'query-id\tcorpus-id\tscore\nq1\td1\tyes\n' });
    expect((await loadError()).message).toMatch(/test\.tsv:2: score must be an integer/);

    await writeDataset({ qrels: 'query-id\tcorpus-id\tscore\nq1\td1\n' });
    expect((await loadError()).message).toMatch(/test\.tsv:2: expected 3/);

    await writeDataset({ qrels: 'query-id\tcorpus-id\tscore\nq1\td1\t1\n\nq1\td1\t1\n' });
    expect((await loadError()).message).toMatch(/test\.tsv:4: duplicate judgment/);
  });

  it('rejects a judged query that queries.jsonl lacks', async () => {
    await writeDataset({ qrels: 'query-id\tcorpus-id\tscore\nq9\td1\t1\n' });
    const error = await loadError();
    expect(error.message).toMatch(/query q9 is judged but absent/);
    expect(error.line).toBeNull();
  });
});

describe('streaming readers', () => {
  it('yield typed rows one at a time', async () => {
    await writeDataset({});
    const ids: string[] = [];
    for await (const document of readCorpus(join(dir, 'corpus.jsonl'))) ids.push(document.id);
    expect(ids).toEqual(['d1', 'd2', '3']);
    const queries = [];
    for await (const query of readQueries(join(dir, 'queries.jsonl'))) queries.push(query.id);
    expect(queries).toEqual(['q1', 'q2']);
    const judgments = [];
    for await (const judgment of readQrels(join(dir, 'qrels', 'test.tsv'))) judgments.push(judgment);
    expect(judgments[0]).toEqual({ queryId: 'q1', docId: 'd1', relevance: 2 });
  });
});
