/**
 * Turns a generator's streamed deltas into answer text for the UI. Provider
 * generators stream the raw JSON of the structured answer; the local generator
 * streams sentence text. Sentence texts are pulled out of partial JSON as they
 * grow, so the reader sees words, not braces.
 */
const TEXT_FIELD = /"text"\s*:\s*"((?:[^"\\]|\\.)*)/g;

function decodePartialJsonString(body: string): string {
  // Drop an escape cut in half at the end of the buffer (\ or \uXX).
  const safe = body.replace(/\\(u[0-9a-fA-F]{0,3})?$/, '');
  try {
    return JSON.parse(`"${safe}"`) as string;
  } catch {
    return safe;
  }
}

export function sentenceTextSoFar(partialJson: string): string {
  const texts: string[] = [];
  for (const match of partialJson.matchAll(TEXT_FIELD)) texts.push(decodePartialJsonString(match[1] ?? ''));
  return texts.join(' ');
}

export class StreamTextExtractor {
  private raw = '';
  private emitted = '';

  /** Feeds a delta; returns the new visible text (possibly empty). */
  push(delta: string): string {
    this.raw += delta;
    const visible = this.raw.trimStart().startsWith('{') ? sentenceTextSoFar(this.raw) : this.raw;
    if (!visible.startsWith(this.emitted)) {
      // A rewrite (should not happen with append-only streams): resend nothing rather than garble.
      this.emitted = visible;
      return '';
    }
    const fresh = visible.slice(this.emitted.length);
    this.emitted = visible;
    return fresh;
  }
}
