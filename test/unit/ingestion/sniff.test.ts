import { describe, expect, it } from 'vitest';
import { isEmpty, sniffMime } from '../../../ingestion/sniff';
import { makePdf, textPage } from './make-pdf';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('sniffMime', () => {
  it('recognises PDFs by magic, also after leading junk within 1024 bytes', () => {
    const pdf = makePdf([textPage(['hello'])]);
    expect(sniffMime(pdf)).toBe('application/pdf');
    const junk = new Uint8Array(600).fill(0x20);
    expect(sniffMime(new Uint8Array([...junk, ...pdf]))).toBe('application/pdf');
    expect(sniffMime(new Uint8Array([...new Uint8Array(2000).fill(0x20), ...pdf]))).not.toBe('application/pdf');
  });

  it('refuses known binary formats whatever the file name says', () => {
    // PNG and JPEG are read now (through OCR): typed by their magic, whatever the name says.
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52);
    expect(sniffMime(png, 'notes.txt')).toBe('image/png');
    expect(sniffMime(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'a.md')).toBe('image/jpeg');
    expect(sniffMime(utf8('GIF89a'), 'a.txt')).toBeNull();
    // A zip without a readable directory: only an Office name makes it a (damaged) Office file, which then fails DOCX_CORRUPT.
    expect(sniffMime(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0), 'report.docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniffMime(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0), 'report.txt')).toBeNull();
    expect(sniffMime(bytes(0x1f, 0x8b, 0x08, 0, 0, 0), 'a.txt')).toBeNull();
    expect(sniffMime(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1), 'a.txt')).toBeNull();
  });

  it('refuses random binary, NUL bytes, invalid UTF-8 and UTF-16', () => {
    let seed = 42;
    const random = new Uint8Array(4096).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 256;
    });
    expect(sniffMime(random, 'data.txt')).toBeNull();
    expect(sniffMime(utf8('plain text\u0000with a NUL'))).toBeNull();
    expect(sniffMime(bytes(0x48, 0x69, 0x20, 0xc3, 0x28), 'a.txt')).toBeNull(); // truncated sequence
    expect(sniffMime(bytes(0x63, 0x61, 0x66, 0xe9), 'latin1.txt')).toBeNull(); // "café" in Latin-1
    expect(sniffMime(bytes(0xff, 0xfe, 0x48, 0x00, 0x69, 0x00))).toBeNull();
  });

  it('detects HTML documents and fragments', () => {
    expect(sniffMime(utf8('<!DOCTYPE html><html><body><p>Hi</p></body></html>'))).toBe('text/html');
    expect(sniffMime(utf8('\ufeff  <!-- generated -->\n<html lang="en"><p>x</p></html>'))).toBe('text/html');
    const fragment = '<div class="doc">\n<h2>Refunds</h2>\n<p>Refunds take <strong>5 days</strong>.</p>\n<ul><li>Card</li><li>Bank</li></ul>\n</div>';
    expect(sniffMime(utf8(fragment), 'page.txt')).toBe('text/html');
  });

  it('detects Markdown from its syntax', () => {
    expect(sniffMime(utf8('# Title\n\nSome *text* with a [link](https://example.com).\n'))).toBe('text/markdown');
    expect(sniffMime(utf8('Title\n=====\n\n```js\nconst a = 1;\n```\n'))).toBe('text/markdown');
    const withHtml = '# Guide\n\n- step one\n- step two\n\n<details><summary>More</summary>hidden</details>\n\n## Next\n';
    expect(sniffMime(utf8(withHtml))).toBe('text/markdown');
    const readme = '<p align="center"><a href="/"><img src="logo.png"></a><br><a href="/ci"><img src="ci.svg"></a></p>\n\n# Project\n\n## Install\n\n```sh\nnpm i\n```\n';
    expect(sniffMime(utf8(readme), 'README.md')).toBe('text/markdown');
  });

  it('treats prose as plain text, letting the extension break only a markdown/text tie', () => {
    const prose = 'Refund policy\n\nCustomers may return items within 30 days.\nKeep the receipt.\n';
    expect(sniffMime(utf8(prose))).toBe('text/plain');
    expect(sniffMime(utf8(prose), 'policy.md')).toBe('text/markdown');
    const listy = 'Shopping:\n- milk\n- eggs\n';
    expect(sniffMime(utf8(listy), 'list.txt')).toBe('text/plain');
    expect(sniffMime(utf8(listy), 'list.markdown')).toBe('text/markdown');
    // Strong markdown is markdown even if the name says otherwise.
    expect(sniffMime(utf8('# A\n\n## B\n\n```\ncode\n```\n'), 'notes.txt')).toBe('text/markdown');
    expect(sniffMime(utf8('Unicode prose: 日本語のテキスト、עברית, Ελληνικά.'))).toBe('text/plain');
  });

  it('returns null for empty input', () => {
    expect(sniffMime(new Uint8Array())).toBeNull();
  });
});

describe('isEmpty', () => {
  it('is true for no bytes or only whitespace and a BOM', () => {
    expect(isEmpty(new Uint8Array())).toBe(true);
    expect(isEmpty(utf8(' \n\t\r\n'))).toBe(true);
    expect(isEmpty(bytes(0xef, 0xbb, 0xbf, 0x20))).toBe(true);
    expect(isEmpty(utf8(' x '))).toBe(false);
    expect(isEmpty(bytes(0))).toBe(false);
  });
});
