import type { Api } from './api';
import type { Corpus } from './types';

/** What every view gets from the shell. */
export interface AppContext {
  api: Api;
  /** The selected corpus, or null when the tenant has none yet. */
  corpus(): Corpus | null;
}

export interface View {
  element: HTMLElement;
  /** The tab became visible. */
  shown(): void;
  /** Another corpus was picked. */
  corpusChanged(): void;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !code.startsWith('HTTP_') ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
