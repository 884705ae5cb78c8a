/**
 * Token counts for the embedding models' published limits. OpenAI's
 * text-embedding-3-* and ada-002 count with cl100k_base, the encoding gpt-tokenizer
 * ships. Special-token text ("<|endoftext|>") in a document is ordinary text to
 * the embeddings endpoint, so it is counted as text here, never thrown on.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';

const AS_TEXT = { disallowedSpecial: new Set<string>() };

export function cl100kTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, AS_TEXT);
}
