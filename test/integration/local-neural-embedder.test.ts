import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BGE_SMALL_EN_V15_Q } from '../../src/core/providers/onnx/catalog';
import { OnnxEmbedder } from '../../src/core/providers/onnx/onnx-embedder';
import { requireModels, TEST_MODELS_DIR } from '../helpers/models';
import { hasChrt, ownScheduling, threadsNamed } from '../helpers/thread-scheduling';

const available = requireModels('local-neural-embedder');

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * b[index]!, 0);
}

/**
 * Reference ids from the Rust `tokenizers` library (0.23.2, Tokenizer.from_file
 * on the pinned tokenizer.json, no truncation): the JS tokenizer must agree with
 * the implementation the model was trained with, id for id.
 */
const REFERENCE_IDS: Record<string, number[]> = {
  '': [101, 102],
  'Café résumé naïve coöperate Ångström': [101, 7668, 13746, 15743, 17654, 17076, 15687, 102],
  '東京都の人口は約1400万人です。北京和上海': [101, 1879, 1755, 1961, 1671, 1756, 1788, 1672, 100, 20652, 100, 1756, 1665, 30184, 1636, 1781, 1755, 1796, 1742, 1902, 102],
  'pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism': [
    101, 1052, 2638, 2819, 17175, 11314, 6444, 2594, 7352, 26461, 27572, 11261, 6767, 15472, 6761, 8663, 10735, 2483, 3424, 10521, 4355, 7875, 13602, 3672, 12199, 2964, 102,
  ],
  'Hello,world!! e-mail: a.b@c.io  tabs\tand\nnewlines': [101, 7592, 1010, 2088, 999, 999, 1041, 1011, 5653, 1024, 1037, 1012, 1038, 1030, 1039, 1012, 22834, 21628, 2015, 1998, 2047, 12735, 102],
  'C++ & Node.js v20.1 — “quotes” ‘single’ …': [101, 1039, 1009, 1009, 1004, 13045, 1012, 1046, 2015, 1058, 11387, 1012, 1015, 1517, 1523, 16614, 1524, 1520, 2309, 1521, 1529, 102],
  'emoji 🙂 and ZWJ 👩‍💻 control\u0007char': [101, 7861, 29147, 2072, 100, 1998, 1062, 2860, 3501, 100, 2491, 7507, 2099, 102],
  'DNA-binding   p53 R175H mutation (IC50 = 3.2 μM)': [101, 6064, 1011, 8031, 1052, 22275, 1054, 16576, 2629, 2232, 16221, 1006, 24582, 12376, 1027, 1017, 1012, 1016, 1166, 2213, 1007, 102],
};

describe.skipIf(!available)('local neural embedder (bge-small-en-v1.5 int8, real weights)', () => {
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.open(BGE_SMALL_EN_V15_Q, TEST_MODELS_DIR, { workers: 2 });
  }, 60_000);
  afterAll(async () => {
    await embedder?.close();
  });

  it('tokenizes tricky text (accents, CJK, long words, empty) exactly as the reference tokenizer does', async () => {
    const texts = Object.keys(REFERENCE_IDS);
    const ids = await embedder.tokenize(texts);
    texts.forEach((text, index) => expect({ text, ids: ids[index] }).toEqual({ text, ids: REFERENCE_IDS[text] }));
  });

  it('gives 384-dimensional unit vectors, and the query prefix only to queries', async () => {
    const text = 'the reactor cooling pump failed during the night shift';
    const [document] = await embedder.embed([text], { inputType: 'document' });
    const [query] = await embedder.embed([text], { inputType: 'query' });
    const [prefixed] = await embedder.embed([BGE_SMALL_EN_V15_Q.queryPrefix + text], { inputType: 'document' });
    expect(document).toHaveLength(384);
    expect(Math.hypot(...document!)).toBeCloseTo(1, 5);
    expect(cosine(query!, prefixed!)).toBeGreaterThan(0.9999);
    expect(cosine(query!, document!)).toBeLessThan(0.999);
  });

  it('puts paraphrases closer together than unrelated sentences sharing no meaning', async () => {
    const pairs: [string, string][] = [
      ['my router will not turn on', 'the network device fails to power up'],
      ['how do I get my money back for a broken kettle', 'requesting a refund for a faulty appliance'],
      ['the medication lowered his blood pressure', 'his hypertension improved after taking the drug'],
      ['she quit her job to travel the world', 'she resigned from work and went backpacking abroad'],
    ];
    const flat = pairs.flat();
    const vectors = await embedder.embed(flat, { inputType: 'document' });
    for (let index = 0; index < pairs.length; index++) {
      const paraphrase = cosine(vectors[2 * index]!, vectors[2 * index + 1]!);
      for (let other = 0; other < pairs.length; other++) {
        if (other === index) continue;
        expect(paraphrase, `${pairs[index]![0]} vs ${pairs[other]![1]}`).toBeGreaterThan(cosine(vectors[2 * index]!, vectors[2 * other + 1]!) + 0.05);
      }
    }
  });

  it('scores question-passage relevance (RelevanceScorer): the answering passage above the off-topic one', async () => {
    const scores = await embedder.score('why does my laptop overheat', ['Dust in the fan and vents traps heat and makes notebooks run hot.', 'The museum opens at nine on weekdays.']);
    expect(scores).toHaveLength(2);
    expect(scores[0]!).toBeGreaterThan(scores[1]!);
    expect(scores.every((score) => score >= -1 && score <= 1)).toBe(true);
  });

  // Not bit-identical: the int8 model quantizes activations with one scale per tensor, so batch-mates shift a
  // vector slightly (measured 0.9989 for a 512-token text padded with short ones); far from any other text.
  it('batches by token count: a long text among short ones embeds (nearly) the same as alone', async () => {
    const long = 'Photosynthesis converts light energy into chemical energy in chloroplasts. '.repeat(60);
    const [alone] = await embedder.embed([long], { inputType: 'document' });
    const mixed = await embedder.embed(['short one', long, 'another short text'], { inputType: 'document' });
    expect(cosine(alone!, mixed[1]!)).toBeGreaterThan(0.995);
    expect(cosine(alone!, mixed[0]!)).toBeLessThan(0.9);
  });

  it('embeds a question on the query lane at once, not after the document batches under way', async () => {
    const long = (index: number) => Array.from({ length: 60 }, (_unused, word) => `sediment${(index * 60 + word) % 97} river flow`).join(' ');
    const finished: string[] = [];
    // Two batches of 16 long documents: without a query lane both workers would be busy with them.
    const batches = [0, 1].map((batch) =>
      embedder.embed(Array.from({ length: 16 }, (_unused, index) => long(batch * 16 + index)), { inputType: 'document' }).then(() => finished.push(`documents ${batch}`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const question = embedder.embed(['how does sediment move in a river?'], { inputType: 'query' }).then(() => finished.push('question'));
    await Promise.all([...batches, question]);
    expect(finished[0]).toBe('question');
  }, 60_000);

  it('coalesces questions asked at once into shared passes, each getting its own vector; waiting questions start a second lane that takes its share', async () => {
    const questions = Array.from({ length: 24 }, (_unused, index) => `how do I reset device number ${index} after a firmware update?`);
    const alone = [];
    for (const question of questions.slice(0, 3)) alone.push((await embedder.embed([question], { inputType: 'query' }))[0]!);
    const before = embedder.pool.passes;
    const ask = () => Promise.all(questions.map((question) => embedder.embed([question], { inputType: 'query' }).then(([vector]) => vector!)));
    const together = await ask();
    // One pass each would be 24; a lane's first pass takes one question, the rest wait and go together (a second
    // lane, started because they waited, takes a share of them if it is ready in time).
    expect(embedder.pool.passes - before).toBeLessThanOrEqual(6);
    alone.forEach((vector, index) => expect(cosine(vector, together[index]!)).toBeGreaterThan(0.995));
    // Each question got its own vector (the same as alone, not a neighbour's): closer to its own than to the next one.
    alone.forEach((vector, index) => expect(cosine(vector, together[index]!)).toBeGreaterThan(cosine(vector, together[index + 1]!)));
    // Two lanes where the first lane's threads leave room on the cores for a second; each takes part of the next burst.
    const lanes = Math.min(2, Math.floor(availableParallelism() / embedder.pool.queryLane.threads));
    await vi.waitFor(() => expect(embedder.pool.lanePasses).toHaveLength(lanes), { timeout: 20_000 });
    const lanesBefore = embedder.pool.lanePasses;
    const again = await ask();
    embedder.pool.lanePasses.forEach((passes, index) => expect(passes).toBeGreaterThan(lanesBefore[index]!));
    alone.forEach((vector, index) => expect(cosine(vector, again[index]!)).toBeGreaterThan(0.995));
  }, 60_000);

  it('starts a second lane only when questions wait, and stops it after its idle time', async () => {
    // One thread per lane, so that two lanes fit on any machine of two cores or more (what CI has).
    const scaling = await OnnxEmbedder.open(BGE_SMALL_EN_V15_Q, TEST_MODELS_DIR, { workers: 2, queryThreads: 1, laneIdleMs: 1_500 });
    try {
      const lanes = Math.min(2, availableParallelism());
      // One question at a time never waits for a lane.
      for (let index = 0; index < 5; index++) await scaling.embed([`which filter fits model ${index}?`], { inputType: 'query' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(scaling.pool.lanePasses).toHaveLength(1);
      await Promise.all(Array.from({ length: 12 }, (_unused, index) => scaling.embed([`how long does battery ${index} last?`], { inputType: 'query' })));
      await vi.waitFor(() => expect(scaling.pool.lanePasses).toHaveLength(lanes), { timeout: 20_000 });
      expect(scaling.pool.workerCounts).toEqual({ queryLanes: lanes, documents: 1 });
      await vi.waitFor(() => expect(scaling.pool.lanePasses).toHaveLength(1), { timeout: 20_000 });
      expect(scaling.pool.workerCounts).toEqual({ queryLanes: 1, documents: 1 });
      const [vector] = await scaling.embed(['still answering after the lane stopped'], { inputType: 'query' });
      expect(vector).toHaveLength(384);
    } finally {
      await scaling.close();
    }
  }, 60_000);

  it("times a question on one and two threads at start and runs the query lane on the choice its medians give", () => {
    const { threads, medianMsByThreads } = embedder.pool.queryLane;
    expect(Object.keys(medianMsByThreads).sort()).toEqual(['1', '2']);
    for (const ms of Object.values(medianMsByThreads)) expect(ms).toBeGreaterThan(0);
    expect(threads).toBe(medianMsByThreads['2']! <= 0.8 * medianMsByThreads['1']! ? 2 : 1);
  });

  it.runIf(process.platform === 'linux' && (hasChrt || process.env.CI === 'true'))('runs the query lane under SCHED_BATCH at normal priority and the document worker at nice 10', () => {
    const lane = threadsNamed('attest-onnx');
    const documents = threadsNamed('attest-onnx-bg');
    expect(lane.length).toBeGreaterThan(0);
    expect(documents.length).toBeGreaterThan(0);
    // Relative to this thread, which a niced test runner may have started below nice 0; only those threads change.
    const own = ownScheduling();
    expect(own.policy).toBe(0);
    expect(lane.every((thread) => thread.policy === 3 && thread.nice === own.nice)).toBe(true);
    expect(documents.every((thread) => thread.policy === 0 && thread.nice === Math.max(10, own.nice))).toBe(true);
  });

  it('replaces a worker that dies mid-batch and retries the batch on the new one', async () => {
    const texts = Array.from({ length: 40 }, (_unused, index) => `sentence number ${index} about river sediment`);
    const expected = await embedder.embed(texts, { inputType: 'document' });
    const before = embedder.pool.replacements;
    embedder.pool.crashNextJob();
    const again = await embedder.embed(texts, { inputType: 'document' });
    expect(embedder.pool.replacements).toBe(before + 1);
    again.forEach((vector, index) => expect(cosine(vector, expected[index]!)).toBeGreaterThan(0.9999));
    // And the pool keeps working at full size afterwards.
    const [after] = await embedder.embed(['still alive'], { inputType: 'query' });
    expect(after).toHaveLength(384);
  }, 60_000);
});
