/**
 * Anthropic's native citations (ANTHROPIC_CITATIONS=true): the sources go out as
 * `search_result` blocks with `citations: {enabled: true}`, each source's text split
 * into sentence-sized text blocks (the service cites whole blocks, so a block is the
 * finest quote it can give), and the answer comes back as text blocks carrying
 * `search_result_location` (or, for documents, `char_location`) citations with
 * `cited_text`. This module builds those blocks and maps the reply to our answer
 * schema: each sentence with {source n, quote: cited_text}. The quotes are then
 * verified against our stored text like any model's (src/query/verify.ts).
 */
import { z } from 'zod';
import type { SearchResultBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { GeneratedAnswer, GenerationSource } from './ports';

/** What a refusal starts with in this mode (there is no refused field: the model is told to write this). */
export const REFUSAL_PREFIX = 'REFUSED:';

/** The mode's own instructions, after the cached system prompt (which describes the JSON answer of the tool mode). */
export const CITATIONS_MODE_INSTRUCTIONS = [
  'Answer mode for this request: the sources are the search results in the user turn, and the citation feature attaches your quotes.',
  'Write the answer as a few short plain-text sentences, each supported by cited search-result text; do not write JSON, quotes of your own or source numbers.',
  'The worked examples show how to choose what to cite and when to refuse; ignore their JSON shape.',
  `If the sources do not contain the answer, reply with exactly "${REFUSAL_PREFIX} " followed by one short sentence saying what is missing, and nothing else.`,
].join('\n');

/** Splits a passage into contiguous blocks that end after a sentence's closing punctuation or a blank line; joined, they are the passage. */
export function passageBlocks(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?…]["'”’)\]]*\s+|\n\s*\n/gu)) {
    const end = match.index + match[0].length;
    blocks.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) blocks.push(text.slice(start));
  // The API rejects empty or whitespace-only text blocks: such a piece joins the block before it.
  const merged: string[] = [];
  for (const block of blocks) {
    if (block.trim() === '' && merged.length > 0) merged[merged.length - 1] += block;
    else merged.push(block);
  }
  return merged.filter((block) => block.trim() !== '');
}

export function searchResultBlocks(sources: readonly GenerationSource[]): SearchResultBlockParam[] {
  return sources.map((source) => ({
    type: 'search_result',
    source: `attest:source/${source.n}`,
    title: source.page === null ? source.title : `${source.title} (page ${source.page})`,
    content: passageBlocks(source.text).map((text): TextBlockParam => ({ type: 'text', text })),
    citations: { enabled: true },
  }));
}

export const textCitationSchema = z.object({
  type: z.string(),
  cited_text: z.string().optional(),
  search_result_index: z.number().int().optional(),
  document_index: z.number().int().optional(),
});

export const citedTextBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  citations: z.array(textCitationSchema).nullish(),
});
export type CitedTextBlock = z.infer<typeof citedTextBlockSchema>;

/** The source label a citation points at: search results and documents are both sent in source order. */
function sourceOf(citation: z.infer<typeof textCitationSchema>, sources: readonly GenerationSource[]): number | undefined {
  const index =
    citation.type === 'search_result_location' ? citation.search_result_index : citation.type === 'char_location' ? citation.document_index : undefined;
  return index === undefined ? undefined : sources[index]?.n;
}

/**
 * The reply's text blocks as our answer: the joined text split into sentences, each
 * sentence citing what the blocks it overlaps cite. A sentence without a citation is
 * kept uncited (verification removes it); a reply that is only `REFUSED: …` is a refusal.
 */
export function answerFromCitedText(blocks: readonly CitedTextBlock[], sources: readonly GenerationSource[]): GeneratedAnswer {
  const text = blocks.map((block) => block.text).join('');
  const cited = blocks.some((block) => (block.citations ?? []).length > 0);
  const trimmed = text.trim();
  if (!cited && trimmed.startsWith(REFUSAL_PREFIX)) {
    const reason = trimmed.slice(REFUSAL_PREFIX.length).trim();
    return reason ? { refused: true, refusalReason: reason, sentences: [] } : { refused: true, sentences: [] };
  }
  const spans: { start: number; end: number; citations: { source: number; quote: string }[] }[] = [];
  let offset = 0;
  for (const block of blocks) {
    const citations = (block.citations ?? []).flatMap((citation) => {
      const source = sourceOf(citation, sources);
      return source === undefined || !citation.cited_text ? [] : [{ source, quote: citation.cited_text }];
    });
    spans.push({ start: offset, end: offset + block.text.length, citations });
    offset += block.text.length;
  }
  const sentences: GeneratedAnswer['sentences'] = [];
  let start = 0;
  const boundaries = [...text.matchAll(/[.!?…]["'”’)\]]*\s+/gu)].map((match) => match.index + match[0].length);
  for (const end of [...boundaries, text.length]) {
    const sentence = text.slice(start, end).trim();
    if (/[\p{L}\p{N}]/u.test(sentence)) {
      const seen = new Set<string>();
      const citations = spans
        .filter((span) => span.start < end && span.end > start)
        .flatMap((span) => span.citations)
        .filter((citation) => {
          const key = `${citation.source}\u0000${citation.quote}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      sentences.push({ text: sentence, citations });
    }
    start = end;
  }
  return { refused: false, sentences };
}
