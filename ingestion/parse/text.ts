import type { ParsedDocument } from './types';

/** Decodes UTF-8 (dropping a BOM); sniffing has already refused anything that is not UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes).replace(/\r\n?/gu, '\n');
}

/** Plain text: one paragraph per run of lines between blank lines. */
export function parseText(bytes: Uint8Array): ParsedDocument {
  const blocks = decodeText(bytes)
    .split(/(?:\n[ \t\f\v]*){2,}/u)
    .filter((paragraph) => paragraph.trim().length > 0)
    .map((paragraph) => ({ kind: 'paragraph' as const, text: paragraph }));
  return { mime: 'text/plain', pageCount: null, pages: [{ page: null, blocks }] };
}
