import { describe, expect, it } from 'vitest';
import { ANALYZER_VERSION, ENGLISH_STOPWORDS, analyze, analyzeForIndex, analyzeQuery, analyzeTitled, analyzerCacheSize, termFrequencies } from '../../../indexes/analyzer';

describe('analyze', () => {
  it('lowercases, drops Lucene English stopwords and Porter-stems, keeping order and duplicates', () => {
    expect(analyze('The runners are running and the Runner ran')).toEqual(['runner', 'run', 'runner', 'ran']);
    expect(analyze('Generalizations of relational databases')).toEqual(['gener', 'relat', 'databas']);
  });

  it('uses the 33-word Lucene English stopword set', () => {
    expect(ENGLISH_STOPWORDS.size).toBe(33);
    expect(analyze('it is not such a thing; no, there will be these')).toEqual(['thing']);
    // Not in Lucene's set, so kept (a longer list would drop them).
    expect(analyze('what about her')).toEqual(['what', 'about', 'her']);
  });

  it('keeps identifiers and numbers whole, lowercased and unstemmed, followed by their parts', () => {
    expect(analyze('v2.3.1')).toEqual(['v2.3.1', 'v2', '3', '1']);
    expect(analyze('Error E-1234')).toEqual(['error', 'e-1234', 'e', '1234']);
    expect(analyze('SKU_99-A')).toEqual(['sku_99-a', 'sku', '99']); // the part "a" is a stopword
    expect(analyze('foo_bar')).toEqual(['foo_bar', 'foo', 'bar']);
    expect(analyze('host 192.168.0.1.')).toEqual(['host', '192.168.0.1']);
    expect(analyze('rose 10.5% to 1,000 units')).toEqual(['rose', '10.5', '1,000', 'unit']);
    expect(analyze('p53 and IL-6 levels')).toEqual(['p53', 'il-6', 'il', '6', 'level']);
    expect(analyze('mail bob@example.com')).toEqual(['mail', 'bob@example.com', 'bob', 'exampl', 'com']);
  });

  it('gives a token the same terms every time it recurs (terms are kept per token)', () => {
    const text = 'The v2.3.1 runners, IL-6 and state-of-the-art: the runners again';
    const expected = ['v2.3.1', 'v2', '3', '1', 'runner', 'il-6', 'il', '6', 'state', 'art', 'runner', 'again'];
    expect(analyze(text)).toEqual(expected);
    const first = analyze(text);
    first.push('mutated');
    expect(analyze(text)).toEqual(expected);
    expect(analyze('IL-6 v2.3.1')).toEqual(['il-6', 'il', '6', 'v2.3.1', 'v2', '3', '1']);
  });

  it('matches a partial query against an identifier through its parts', () => {
    const document = new Set(analyze('Replace part SKU_99-A before use'));
    expect(analyze('sku 99').every((term) => document.has(term))).toBe(true);
    expect(document.has(analyze('sku_99-a')[0] ?? '')).toBe(true);
  });

  it('splits prose compounds without digits into their parts only, as Lucene does', () => {
    expect(analyze('state-of-the-art')).toEqual(['state', 'art']);
    expect(analyze('TNF-α and/or insulin-like')).toEqual(['tnf', 'α', 'insulin', 'like']);
  });

  it('strips possessives', () => {
    expect(analyze("Alzheimer's patients' caregivers")).toEqual(['alzheim', 'patient', 'caregiv']);
    expect(analyze('the company’s policy')).toEqual(['compani', 'polici']);
    expect(analyze("SKU_99-A's price")).toEqual(['sku_99-a', 'sku', '99', 'price']);
  });

  it('normalises with NFKC before lowercasing', () => {
    expect(analyze('ＡＢＣ ﬁle Ⅻ')).toEqual(['abc', 'file', 'xii']);
    expect(analyze('Cafe\u0301')).toEqual(analyze('Café'));
  });

  it('tokenizes any script by Unicode letters and numbers, leaving non-ASCII words unstemmed', () => {
    expect(analyze('Müller naïve Москва ٣٤')).toEqual(['müller', 'naïve', 'москва', '٣٤']);
  });

  it('emits character bigrams for CJK runs, and splits CJK from other scripts', () => {
    expect(analyze('東京都')).toEqual(['東京', '京都']);
    expect(analyze('한국어 텍스트')).toEqual(['한국', '국어', '텍스', '스트']);
    expect(analyze('カタカナ')).toEqual(['カタ', 'タカ', 'カナ']);
    expect(analyze('iPhone用 猫')).toEqual(['iphon', '用', '猫']);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(analyze('')).toEqual([]);
    expect(analyze(' -- ... !!! ')).toEqual([]);
  });

  it('has a version to record with index builds', () => {
    expect(ANALYZER_VERSION).toBe('en-porter-v1');
  });
});

describe('analyzeQuery', () => {
  const texts = [
    'What does order ORD-2291-xq say about the refund?',
    'The runners are running and the Runner ran',
    '東京都の人口 and Tokyo population 2024',
    "O'Brien's café: ﬁnal résumé",
  ];

  it('gives the terms analyze gives, whether or not the tokens were seen before', () => {
    const fresh = texts.map((text) => analyzeQuery(text));
    expect(fresh).toEqual(texts.map((text) => analyze(text)));
    expect(texts.map((text) => analyzeQuery(text))).toEqual(fresh);
  });

  it("does not remember a question's new tokens; analyze does", () => {
    const unique = `ticket q${Date.now().toString(36)}x7 and z${process.pid}k9-${Math.random().toString(36).slice(2)}`;
    const before = analyzerCacheSize();
    const terms = analyzeQuery(unique);
    expect(terms.length).toBeGreaterThan(2);
    expect(analyzerCacheSize()).toBe(before);
    expect(analyze(unique)).toEqual(terms);
    expect(analyzerCacheSize()).toBeGreaterThan(before);
  });
});

describe('analyzeTitled and analyzeForIndex', () => {
  // Edges where joining two texts could change their analysis: Greek final sigma (lower-casing looks at the
  // neighbours), a combining mark or a compatibility character at a boundary, CJK runs, joiners and possessives.
  const titles = ['', 'Guide / Refunds', 'ΟΔΥΣΣΕΑΣ', 'Ｆｕｌｌ ｗｉｄｔｈ', '東京', "O'Brien's", 'v2.3.1 -', 'the of and'];
  const texts = ['\u0301accent first', 'ΣΟΦΟΣ λόγος', '都の人口 2024', "it's ﬁne: SKU_99-A, 10.5", '', 'plain words here', '-dash start'];

  it('gives exactly the terms of analyze(`${title}\\n${text}`)', () => {
    for (const title of titles) {
      for (const text of texts) expect([...analyzeTitled(title, text)], JSON.stringify({ title, text })).toEqual(analyze(title ? `${title}\n${text}` : text));
    }
    expect(analyzeTitled(undefined, 'Refund policy')).toEqual(analyze('Refund policy'));
  });

  it('hands the second analysis of the same text the first one’s terms', () => {
    const text = `chunk ${process.pid} ${Math.random().toString(36).slice(2)} about refunds`;
    const first = analyzeForIndex(text);
    expect(first).toEqual(analyze(text));
    expect(analyzeForIndex(text)).toBe(first);
    expect(analyzeForIndex(`${text} `)).not.toBe(first);
  });
});

describe('termFrequencies', () => {
  it('counts terms', () => {
    expect(termFrequencies(['a', 'b', 'a'])).toEqual(new Map([['a', 2], ['b', 1]]));
    expect(termFrequencies([]).size).toBe(0);
  });
});
