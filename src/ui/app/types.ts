/** Response shapes of the v1 API, as the UI reads them: the server's own types where it exports them (type-only imports, erased from the bundle). */
import type { AnswerBodyCitation } from '../../query/answer-body';
import type { SourceSummary } from '../../query/answer-service';
import type { UploadResult } from '../../../ingestion/service';
import type { components } from '../../client/schema';

/** Generated from the OpenAPI document (src/client/schema.ts): what the API documents is what the UI reads. */
type Schemas = components['schemas'];

export type { UploadResult };
export type Source = SourceSummary;
export type Citation = AnswerBodyCitation;
export type Corpus = Schemas['Corpus'];


export type JobStage = 'parse' | 'chunk' | 'embed' | 'index';

export interface Job {
  id: string;
  state: 'queued' | 'active' | 'completed' | 'failed';
  progress: { stage: JobStage | 'queued' | string; done: number; total: number };
  error?: { code: string; message: string };
}

export interface DocumentVersion {
  id: string;
  status: string;
  pages: number | null;
  chunkCount: number;
  bytes: number;
  mime: string;
  fileName?: string | null;
  jobId?: string | null;
  createdAt: string;
  error?: { code: string; message: string };
}

export interface DocumentSummary {
  id: string;
  title: string;
  status: string;
  createdAt?: string;
  versions: DocumentVersion[];
}



export interface AnswerBody {
  answer: string;
  sentences: { text: string; citations: number[]; support?: number }[];
  citations: Citation[];
  /** `extractive`: no language model, the answer quotes the passages; `generative`: a model wrote it. */
  mode?: 'extractive' | 'generative';
  /** The answerability gate ahead of generation. */
  gate?: { passed: boolean; reason: string | null; message: string | null };
  refused: boolean;
  refusalReason: string | null;
  degraded: boolean;
  cached: boolean;
  traceId: string;
  sources: Source[];
  usage?: { provider: string; model: string; inputTokens: number; outputTokens: number; cachedTokens: number; cacheWriteTokens: number; cachedShare: number; costUsd: number };
  timings?: Record<string, number>;
}

export interface Chunk {
  id: string;
  documentId: string;
  versionId: string;
  title: string;
  page: number | null;
  start: number;
  end: number;
  text: string;
  headingPath?: string[] | string | null;
}

export interface TextWindow {
  text: string;
  start: number;
  end: number;
  length: number;
}

export interface CanaryRun {
  id: string;
  recallAtK: number | null;
  mrr: number | null;
  k: number;
  hits: number;
  total: number;
  misses: { query: string; got?: { title: string }[] }[];
  createdAt: string;
  failed: boolean;
  error?: string | null;
  alerted: boolean;
}

export interface Alert {
  id: string;
  cause: string;
  status: string;
  text: string;
  createdAt: string;
}

export interface Build {
  id: string;
  status: string;
  embeddingModel: string;
  stats: { documents?: number; chunks?: number; failures?: number } | null;
  warning: string | null;
  canaryReport: unknown;
  createdAt: string;
  promotedAt?: string | null;
}

export type Conversation = Schemas['Conversation'];

export interface ConversationTurn extends AnswerBody {
  conversationId: string;
  turn: number;
  question: string;
  standaloneQuestion: string;
}

export interface ConversationMessage {
  turn: number;
  question: string;
  standaloneQuestion: string;
  createdAt: string;
  /** The latest rating of the turn (absent on a turn just answered). */
  feedback?: 'up' | 'down' | null;
  answer: AnswerBody & { citations: (Citation & { deleted?: boolean })[] };
}

export interface ConversationThread extends Conversation {
  messages: ConversationMessage[];
}
