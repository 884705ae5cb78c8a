import { describe, expect, it } from 'vitest';
import { LocalLexicalReranker } from '../../../src/core/providers/local-reranker';
import type { RerankCandidate } from '../../../src/core/providers/ports';

const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor';

describe('LocalLexicalReranker', () => {
  const reranker = new LocalLexicalReranker();

  it('identifies itself', () => {
    expect(reranker.provider).toBe('local');
    expect(reranker.modelId).toBe('local-lexical-v1');
  });

  it('prefers the exact phrase, then query terms close together, over the same terms scattered', async () => {
    const candidates: RerankCandidate[] = [
      { id: 'scattered', text: `warranty ${filler} period ${filler} ${filler} extension` },
      { id: 'phrase', text: `${filler} the warranty period extension applies ${filler}` },
      { id: 'close', text: `${filler} extension of the period of warranty ${filler}` },
      { id: 'unrelated', text: filler },
    ];
    const results = await reranker.rerank('warranty period extension', candidates, { topK: 10 });
    expect(results.map((result) => result.id)).toEqual(['phrase', 'close', 'scattered', 'unrelated']);
    expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? 1);
  });

  it('rewards query terms in the title', async () => {
    const results = await reranker.rerank(
      'battery replacement',
      [
        { id: 'body', title: 'Accessories', text: 'Battery replacement is described elsewhere.' },
        { id: 'titled', title: 'Battery replacement', text: 'Battery replacement is described elsewhere.' },
      ],
      { topK: 2 },
    );
    expect(results.map((result) => result.id)).toEqual(['titled', 'body']);
  });

  it('keeps the first-stage order when lexical evidence is equal, and breaks exact ties by id', async () => {
    const same = 'identical text about refunds';
    const candidates = ['c', 'a', 'b'].map((id) => ({ id, text: same }));
    const priors = new Map([
      ['c', 0.03],
      ['a', 0.01],
      ['b', 0.02],
    ]);
    expect((await reranker.rerank('refunds', candidates, { topK: 3, priors })).map((result) => result.id)).toEqual(['c', 'b', 'a']);
    expect((await reranker.rerank('refunds', candidates, { topK: 3 })).map((result) => result.id)).toEqual(['a', 'b', 'c']);
  });

  it('blends monotonically: raising a candidate’s prior never lowers it', async () => {
    const candidates = [
      { id: 'lexical', text: 'warranty period is two years' },
      { id: 'prior', text: 'the policy covers repairs' },
    ];
    const rank = async (prior: number) => {
      const priors = new Map([
        ['lexical', 0.5],
        ['prior', prior],
      ]);
      const ids = (await reranker.rerank('warranty period', candidates, { topK: 2, priors })).map((result) => result.id);
      return ids.indexOf('prior');
    };
    expect(await rank(0.1)).toBe(1);
    const ranks = [await rank(0.1), await rank(0.5), await rank(1), await rank(100)];
    for (let index = 1; index < ranks.length; index++) expect(ranks[index]).toBeLessThanOrEqual(ranks[index - 1] ?? 0);
  });

  it('truncates to topK and handles no candidates, no query terms and an aborted signal', async () => {
    const candidates = ['a', 'b', 'c'].map((id) => ({ id, text: `text ${id}` }));
    expect(await reranker.rerank('text', candidates, { topK: 2 })).toHaveLength(2);
    expect(await reranker.rerank('text', [], { topK: 5 })).toEqual([]);
    const stopwordsOnly = await reranker.rerank('the of and', candidates, { topK: 3 });
    expect(stopwordsOnly.map((result) => [result.id, result.score])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
    await expect(reranker.rerank('text', candidates, { topK: 1, signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('scores a chunk seen before exactly as a fresh reranker does, and never from a stale analysis of the same id', async () => {
    const kept = new LocalLexicalReranker();
    const candidates: RerankCandidate[] = [
      { id: 'a', text: `${filler} the warranty period extension applies`, title: 'Warranty' },
      { id: 'b', text: `warranty ${filler} extension`, title: 'Terms' },
    ];
    await kept.rerank('warranty period', candidates, { topK: 2 });
    const again = await kept.rerank('warranty extension', candidates, { topK: 2 });
    expect(again).toEqual(await new LocalLexicalReranker({ analysisEntries: 0 }).rerank('warranty extension', candidates, { topK: 2 }));
    // Same id, other text (or title): analysed again.
    const changed: RerankCandidate[] = [{ ...candidates[0]!, text: filler }, candidates[1]!];
    const afterChange = await kept.rerank('warranty extension', changed, { topK: 2 });
    expect(afterChange).toEqual(await new LocalLexicalReranker({ analysisEntries: 0 }).rerank('warranty extension', changed, { topK: 2 }));
    expect(afterChange[0]?.id).toBe('b');
  });

  it('validates its options', () => {
    expect(() => new LocalLexicalReranker({ priorWeight: 1.5 })).toThrow(RangeError);
    expect(() => new LocalLexicalReranker({ signalWeights: { coverage: 0, proximity: 0, phrase: 0, title: 0 } })).toThrow(RangeError);
    expect(() => new LocalLexicalReranker({ signalWeights: { coverage: -1 } })).toThrow(RangeError);
  });
});
