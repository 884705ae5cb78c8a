import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../ingestion/parse';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseDocument: HTML', () => {
  const html = `<!doctype html>
<html><head><title>Help &amp; Support</title><style>p { color: red }</style>
<script>var secret = "never indexed";</script></head>
<body>
  <nav hidden>Skip me</nav>
  <h1>Returns &amp; refunds</h1>
  <p>Items can be returned within <b>30&nbsp;days</b>. See <a href="/terms">the terms</a>.</p>
  <div style="display: none">Invisible promo</div>
  <template><p>Template text</p></template>
  <noscript>Enable JavaScript</noscript>
  <svg><text>chart label</text></svg>
  <h3>Exceptions</h3>
  <ul><li>Gift cards</li><li>Opened software<ul><li>unless faulty</li></ul></li></ul>
  <table><tr><th>Method</th><th>Days</th></tr><tr><td>Card</td><td>5</td></tr></table>
  <blockquote>Quoted &lt;policy&gt;</blockquote>
  <pre>line one
line two</pre>
  <div>Contact us<br>any time</div>
</body></html>`;

  it('keeps visible text as heading and paragraph blocks, with the title and decoded entities', async () => {
    const doc = await parseDocument(utf8(html), 'text/html');
    expect(doc).toMatchObject({ mime: 'text/html', pageCount: null, title: 'Help & Support' });
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.page).toBeNull();
    const blocks = doc.pages[0]!.blocks.map((block) => ({ ...block, text: block.text.replace(/\s+/gu, ' ').trim() }));
    expect(blocks).toEqual([
      { kind: 'heading', text: 'Returns & refunds', level: 1 },
      { kind: 'paragraph', text: 'Items can be returned within 30 days. See the terms.' },
      { kind: 'heading', text: 'Exceptions', level: 3 },
      { kind: 'paragraph', text: 'Gift cards' },
      { kind: 'paragraph', text: 'Opened software' },
      { kind: 'paragraph', text: 'unless faulty' },
      { kind: 'paragraph', text: 'Method | Days' },
      { kind: 'paragraph', text: 'Card | 5' },
      { kind: 'paragraph', text: 'Quoted <policy>' },
      { kind: 'paragraph', text: 'line one line two' },
      { kind: 'paragraph', text: 'Contact us any time' },
    ]);
    const text = JSON.stringify(doc);
    for (const hidden of ['never indexed', 'Skip me', 'Invisible promo', 'Template text', 'Enable JavaScript', 'chart label', 'color: red']) {
      expect(text).not.toContain(hidden);
    }
  });
});

describe('parseDocument: Markdown', () => {
  const markdown = `---
title: "Support handbook"
owner: ops
---
# Handbook

Intro with **bold**, \`inline code\` and a [link text](https://example.com "t").

## Refunds

- First item
- Second item with ![diagram](d.png)

> A quoted tip.

\`\`\`sh
npm run refund
\`\`\`

| Method | Days |
| ------ | ---- |
| Card   | 5    |

<p>Raw <em>HTML</em> block</p>
`;

  it('turns headings, paragraphs, list items, code, quotes and tables into blocks without syntax', async () => {
    const doc = await parseDocument(utf8(markdown), 'text/markdown');
    expect(doc).toMatchObject({ mime: 'text/markdown', pageCount: null, title: 'Support handbook' });
    const blocks = doc.pages[0]!.blocks;
    expect(blocks.slice(0, 7)).toEqual([
      { kind: 'heading', text: 'Handbook', level: 1 },
      { kind: 'paragraph', text: 'Intro with bold, inline code and a link text.' },
      { kind: 'heading', text: 'Refunds', level: 2 },
      { kind: 'paragraph', text: 'First item' },
      { kind: 'paragraph', text: 'Second item with diagram' },
      { kind: 'paragraph', text: 'A quoted tip.' },
      { kind: 'paragraph', text: 'npm run refund' },
    ]);
    const rest = blocks.slice(7).map((block) => block.text.replace(/\s+/gu, ' ').trim());
    expect(rest.join(' ')).toContain('Method | Days');
    expect(rest).toContain('Raw HTML block');
    expect(JSON.stringify(doc)).not.toContain('owner: ops');
  });

  it('uses the first level-1 heading as title when there is no front matter', async () => {
    const doc = await parseDocument(utf8('Intro line\n\n# The Title\n\nBody\n'), 'text/markdown');
    expect(doc.title).toBe('The Title');
  });
});

describe('parseDocument: plain text', () => {
  it('splits paragraphs on blank lines and keeps line breaks inside them', async () => {
    const doc = await parseDocument(utf8('\ufeffFirst line\r\nsecond line\r\n\r\n  \r\nNext paragraph.\n\n\n'), 'text/plain');
    expect(doc).toEqual({
      mime: 'text/plain',
      pageCount: null,
      pages: [
        {
          page: null,
          blocks: [
            { kind: 'paragraph', text: 'First line\nsecond line' },
            { kind: 'paragraph', text: 'Next paragraph.' },
          ],
        },
      ],
    });
  });

  it('gives no blocks for whitespace-only text (the pipeline reports NO_TEXT)', async () => {
    const doc = await parseDocument(utf8(' \n\n \n'), 'text/plain');
    expect(doc.pages[0]!.blocks).toEqual([]);
  });
});
