/**
 * The follow-up rewrite port: turns a turn's question into one that stands alone, and says which rewriter
 * did it (for the trace). Implementations: the embedded default's deterministic rewrite (below) and a
 * provider model with it as the fallback (./provider-rewriter.ts).
 */
import { rewriteFollowUp, type Rewrite } from './rewrite';

export interface EarlierTurn {
  turn: number;
  question: string;
  /** The turn's standalone question (itself rewritten if it was a follow-up). */
  standaloneQuestion: string;
  /** The answer as the user saw it (a refusal's text for a refused turn). */
  answer: string;
}

export interface RewriteInput {
  question: string;
  /** The conversation's earlier turns, oldest first (empty on the first turn). */
  earlier: readonly EarlierTurn[];
  conversationId: string;
  turn: number;
  signal?: AbortSignal | undefined;
}

/** Which rewriter ran and why; no question text (traces keep none). */
export type RewriterReport = {
  /** `none`: a first turn; `local`: the deterministic rewrite; `cached`: this turn's earlier rewrite; else the provider. */
  by: 'none' | 'local' | 'cached' | 'openai' | 'anthropic' | (string & {});
  model?: string;
  /** The provider (`provider:model`) whose rewrite was not used, and why (its error code): the local rewrite stood in. */
  fallbackFrom?: string;
  fallbackReason?: string;
  ms: number;
  /** The provider call's tokens and estimated cost (src/core/pricing.ts), when one was made. */
  usage?: { inputTokens: number; outputTokens: number; cachedTokens: number; costUsd: number };
};

export interface RewriteOutcome extends Omit<Rewrite, 'kind'> {
  /** The deterministic rewrite's kinds, `model` when a provider rewrote the question, `cached` when this turn's earlier rewrite was reused. */
  kind: Rewrite['kind'] | 'model' | 'cached';
  rewriter: RewriterReport;
}

export interface QuestionRewriter {
  rewrite(input: RewriteInput): Promise<RewriteOutcome>;
}

/** The embedded default: deterministic, no model, a few microseconds. */
export const localRewriter: QuestionRewriter = {
  rewrite: async ({ question, earlier }) => {
    const started = performance.now();
    const previous = earlier[earlier.length - 1];
    const rewrite = rewriteFollowUp(question, previous ? { standaloneQuestion: previous.standaloneQuestion } : undefined);
    return { ...rewrite, rewriter: { by: previous ? 'local' : 'none', ms: Math.round((performance.now() - started) * 100) / 100 } };
  },
};
