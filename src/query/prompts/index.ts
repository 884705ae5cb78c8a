import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Versioned prompt files. Each `<id>.md` holds the system prompt (policy and
 * rules: the stable, cacheable prefix, byte-identical across requests) and,
 * after a `<!-- user-template -->` line, the user-turn template with
 * `{{sources}}` and `{{question}}` slots. Edit a prompt by adding a new file
 * (answer-v2.md) and moving CURRENT_PROMPT_ID; the hash is recorded in every
 * trace and is part of `version`, so caches never mix two texts.
 */
export const CURRENT_PROMPT_ID = 'answer-v2';

const USER_TEMPLATE_MARKER = '<!-- user-template -->';
const PROMPT_ID_PATTERN = /^[a-z][a-z0-9-]*-v\d+$/;

export interface Prompt {
  id: string;
  /** `${id}@${hash}`: changes whenever the file's content changes. */
  version: string;
  /** The system prompt: policy only, never document text. */
  text: string;
  /** The user turn, with `{{sources}}` and `{{question}}` slots. */
  userTemplate: string;
  /** sha256 of the whole file, first 16 hex digits. */
  hash: string;
}

const cache = new Map<string, Prompt>();

export function parsePrompt(id: string, content: string): Prompt {
  const markerAt = content.indexOf(USER_TEMPLATE_MARKER);
  if (markerAt < 0) throw new Error(`prompt ${id} has no ${USER_TEMPLATE_MARKER} section`);
  const text = content.slice(0, markerAt).trimEnd();
  const userTemplate = content.slice(markerAt + USER_TEMPLATE_MARKER.length).trim();
  for (const slot of ['{{sources}}', '{{question}}']) {
    if (!userTemplate.includes(slot)) throw new Error(`prompt ${id} user template lacks ${slot}`);
  }
  const hash = createHash('sha256').update(content, 'utf8').digest('hex').slice(0, 16);
  return { id, version: `${id}@${hash}`, text, userTemplate, hash };
}

/** Reads `<id>.md` next to this module once per process. */
export function loadPrompt(id: string = CURRENT_PROMPT_ID): Prompt {
  const cached = cache.get(id);
  if (cached) return cached;
  if (!PROMPT_ID_PATTERN.test(id)) throw new Error(`invalid prompt id: ${id}`);
  const content = readFileSync(new URL(`./${id}.md`, import.meta.url), 'utf8');
  const prompt = parsePrompt(id, content);
  cache.set(id, prompt);
  return prompt;
}
