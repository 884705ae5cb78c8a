import { describe, expect, it } from 'vitest';
import { answerAsText } from '../../src/ui/app/copy';
import { locateCitation, locateQuote, quoteInside, sameText } from '../../src/ui/app/evidence';
import { SseParser, type SseEvent } from '../../src/ui/app/sse';
import { ocrText, originalUrl } from '../../src/ui/app/views/ask';
import { jobPercent } from '../../src/ui/app/views/documents';

/** The support UI's pure pieces, without a browser. */
describe('SSE parser', () => {
  const parse = (chunks: string[]) => {
    const events: SseEvent[] = [];
    const parser = new SseParser((event) => events.push(event));
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    return events;
  };

  it('reads named events with JSON data', () => {
    expect(parse(['event: delta\ndata: {"text":"Hi"}\n\nevent: done\ndata: {}\n\n'])).toEqual([
      { event: 'delta', data: '{"text":"Hi"}' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('joins events split anywhere across reads, including inside \\r\\n', () => {
    const text = 'event: citation\r\ndata: {"n":1}\r\n\r\nevent: done\r\ndata: {"ok":true}\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual([
        { event: 'citation', data: '{"n":1}' },
        { event: 'done', data: '{"ok":true}' },
      ]);
    }
  });

  it('handles multi-line data, comments, default event names and a missing final blank line', () => {
    expect(parse([': keep-alive\n\ndata: one\ndata: two\n\nid: 7\ndata:x\n\nevent: lost\ndata: never dispatched\n'])).toEqual([
      { event: 'message', data: 'one\ntwo' },
      { event: 'message', data: 'x', id: '7' },
    ]);
  });
});

describe('quote highlighting', () => {
  const chunk = 'Kestrel K7 Pump Guide\n\nThe Kestrel K7 pump must be serviced every 400 operating hours. Replace the seal.';
  const quote = 'The Kestrel K7 pump must be serviced every 400 operating hours';
  const chunkStart = 100;
  const at = chunk.indexOf(quote);

  it('marks the slice at the citation offsets, relative to the chunk start', () => {
    const highlight = locateQuote(chunk, chunkStart, quote, chunkStart + at, chunkStart + at + quote.length);
    expect(highlight?.mark).toBe(quote);
    expect(`${highlight?.before}${highlight?.mark}${highlight?.after}`).toBe(chunk);
  });

  it('finds the quote by text when the offsets do not line up, ignoring case and whitespace', () => {
    const highlight = locateQuote(chunk, chunkStart, 'the kestrel K7  pump\nmust be serviced', 0, 10);
    expect(highlight?.mark).toBe('The Kestrel K7 pump must be serviced');
    expect(locateQuote(chunk, chunkStart, 'not in this text at all', 0, 10)).toBeNull();
  });

  it('knows when a quote lies inside a chunk span', () => {
    expect(quoteInside({ start: 100, end: 200 }, { start: 120, end: 180 })).toBe(true);
    expect(quoteInside({ start: 100, end: 200 }, { start: 190, end: 210 })).toBe(false);
    expect(sameText('A  b\nC', 'a b c')).toBe(true);
  });
});

describe('a citation located for the evidence views', () => {
  // The version's text: the quote starts at offset 40.
  const VERSION = `${'x'.repeat(40)}The warranty period is 24 months.${'y'.repeat(40)}`;
  const citation = { chunkId: 'c1', versionId: 'v1', quote: 'The warranty period is 24 months.', start: 40, end: 73 };
  const source = (chunk: { text: string; start: number; end: number } | undefined) => ({
    chunk: async () => {
      if (!chunk) throw new Error('404 CHUNK_NOT_FOUND');
      return chunk;
    },
    versionText: async (_version: string, start: number, end: number) => ({ text: VERSION.slice(Math.max(0, start), end), start: Math.max(0, start) }),
  });

  it('shows the chunk when the quote lies inside it', async () => {
    const located = await locateCitation(source({ text: VERSION.slice(30, 80), start: 30, end: 80 }), citation);
    expect(located.fromWindow).toBe(false);
    expect(located.highlight?.mark).toBe(citation.quote);
  });

  it("falls back to the version's text when the chunk is gone or the quote runs past it", async () => {
    const gone = await locateCitation(source(undefined), citation);
    expect(gone).toMatchObject({ fromWindow: true, highlight: { mark: citation.quote } });
    const short = await locateCitation(source({ text: VERSION.slice(30, 55), start: 30, end: 55 }), citation);
    expect(short).toMatchObject({ fromWindow: true, highlight: { mark: citation.quote } });
  });
});

describe('copy with citations', () => {
  it('puts the answer, then numbered quotes with title and page, then the trace id', () => {
    const text = answerAsText(
      {
        answer: 'Service it every 400 hours [1].',
        refused: false,
        traceId: 'trace-1',
        citations: [{ n: 1, documentId: 'd', versionId: 'v', chunkId: 'c', title: 'Manual', page: 3, pageEnd: 3, headingPath: [], quote: 'serviced  every\n400 hours', start: 0, end: 10, verified: true }],
      },
      "The documents don't answer this",
    );
    expect(text).toBe('Service it every 400 hours [1].\n\nSources:\n[1] "serviced every 400 hours" (Manual, p. 3)\n\nTrace: trace-1');
  });
});

describe('upload progress', () => {
  it('spreads the four job stages over the bar', () => {
    expect(jobPercent({ state: 'active', progress: { stage: 'parse', done: 0, total: 1 } })).toBe(0);
    expect(jobPercent({ state: 'active', progress: { stage: 'embed', done: 5, total: 10 } })).toBe(63);
    expect(jobPercent({ state: 'active', progress: { stage: 'index', done: 2, total: 2 } })).toBe(100);
    expect(jobPercent({ state: 'completed', progress: { stage: 'index', done: 0, total: 0 } })).toBe(100);
    expect(jobPercent({ state: 'queued', progress: { stage: 'queued', done: 0, total: 0 } })).toBe(0);
  });
});

describe('citation notes', () => {
  it('says a quote came from OCR, with its confidence in whole percent; born-digital quotes get no note', () => {
    expect(ocrText({ ocr: { confidence: 87.4 } })).toBe('text from OCR (confidence 87%)');
    expect(ocrText({})).toBeUndefined();
  });

  it('opens a PDF original at the cited page, anything else as it is', () => {
    expect(originalUrl('blob:http://x/1', 'application/pdf', 3)).toBe('blob:http://x/1#page=3');
    expect(originalUrl('blob:http://x/1', 'application/pdf', null)).toBe('blob:http://x/1');
    expect(originalUrl('blob:http://x/1', 'image/png', 1)).toBe('blob:http://x/1');
  });
});
