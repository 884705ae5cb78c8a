import type { ContextCandidate } from '../../../src/query/assemble';

export interface FixtureDocument {
  documentId: string;
  versionId: string;
  title: string;
  /** The version's normalized text: chunk texts are slices of it. */
  text: string;
}

export function makeDocument(documentId: string, text: string, title = `Document ${documentId}`): FixtureDocument {
  return { documentId, versionId: `${documentId}-v1`, title, text };
}

/** A chunk of `document` covering [charStart, charEnd). */
export function chunkOf(document: FixtureDocument, ordinal: number, charStart: number, charEnd: number, extra: Partial<ContextCandidate> = {}): ContextCandidate {
  return {
    chunkId: `${document.versionId}-c${ordinal}`,
    documentId: document.documentId,
    versionId: document.versionId,
    title: document.title,
    page: null,
    ordinal,
    charStart,
    charEnd,
    text: document.text.slice(charStart, charEnd),
    score: 1 / (ordinal + 1),
    ...extra,
  };
}

/** Fixed-size character windows with overlap, like a chunker would produce. */
export function chunkDocument(document: FixtureDocument, size: number, overlap: number): ContextCandidate[] {
  const chunks: ContextCandidate[] = [];
  for (let start = 0, ordinal = 0; start < document.text.length; start += size - overlap, ordinal++) {
    chunks.push(chunkOf(document, ordinal, start, Math.min(document.text.length, start + size)));
    if (start + size >= document.text.length) break;
  }
  return chunks;
}

/** One whole-document candidate. */
export function wholeDocument(document: FixtureDocument, extra: Partial<ContextCandidate> = {}): ContextCandidate {
  return chunkOf(document, 0, 0, document.text.length, extra);
}
