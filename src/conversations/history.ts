import type { GenerationMessage } from '../core/providers/ports';
import { escapeText } from '../query/prompts/render';
import { countTextTokens } from '../query/tokens';

export interface HistoryTurn {
  turn: number;
  question: string;
  /** The answer as the user saw it (a refusal's text for a refused turn). */
  answer: string;
}

export interface HistoryWindow {
  messages: GenerationMessage[];
  /** The turns kept, oldest first. */
  kept: number[];
  /** The turns left out for the budget (always the oldest). */
  trimmed: number[];
  tokens: number;
}

/** One message per earlier turn, so that each turn's prompt begins with the previous turn's prompt's history. */
export function historyMessage(turn: HistoryTurn): string {
  return `<earlier_turn n="${turn.turn}"><question>${escapeText(turn.question)}</question><answer>${escapeText(turn.answer)}</answer></earlier_turn>`;
}

/**
 * The earlier turns generation sees, newest kept first within `budgetTokens`; the oldest go first. They
 * come after the system prompt and before the sources, one message each and byte-identical from turn to
 * turn, so a provider's prefix cache holds the system prompt and the conversation so far. The last one is
 * marked as the end of the cacheable prefix.
 */
export function historyWindow(turns: readonly HistoryTurn[], budgetTokens: number): HistoryWindow {
  const texts = turns.map((turn) => ({ turn: turn.turn, text: historyMessage(turn) }));
  const keptReversed: { turn: number; text: string }[] = [];
  let tokens = 0;
  for (let index = texts.length - 1; index >= 0; index--) {
    const entry = texts[index];
    if (!entry) continue;
    const cost = countTextTokens(entry.text) + 4;
    if (tokens + cost > budgetTokens) break;
    tokens += cost;
    keptReversed.push(entry);
  }
  const kept = keptReversed.reverse();
  const keptTurns = new Set(kept.map((entry) => entry.turn));
  const messages: GenerationMessage[] = kept.map((entry, index) => ({ role: 'user', content: entry.text, ...(index === kept.length - 1 ? { cacheable: true } : {}) }));
  return { messages, kept: [...keptTurns], trimmed: turns.map((turn) => turn.turn).filter((turn) => !keptTurns.has(turn)), tokens };
}
