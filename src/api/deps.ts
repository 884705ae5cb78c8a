import type { Config } from '../core/config';
import type { Store } from '../core/db/client';
import type { Corpus } from '../core/db/schema';
import type { BuildStore } from '../../ingestion/builds';
import type { IngestionService } from '../../ingestion/service';
import type { SourceService } from '../../ingestion/crawl/source-service';
import type { SearchService } from '../query/search-service';
import type { AnswerService } from '../query/answer-service';
import type { ConversationService } from '../conversations/service';
import type { TraceLog } from '../query/trace-log';
import type { VersionPages } from '../query/citation-pages';
import type { ReindexService } from '../../ingestion/reindex';
import type { CanaryService } from '../../evals/canaries/canary-service';
import type { CanarySchedules } from '../../evals/canaries/schedule';
import type { JobRecords } from '../jobs/job-records';
import type { JobQueue } from '../jobs/ports';
import type { Authenticator } from './auth';
import type { IdempotencyStore } from './idempotency';
import type { Limits } from './limits/limits';
import type { Metrics } from './metrics';
import type { ReadinessCheck } from './routes/health';

export interface CorpusService {
  /** Creates the corpus and its first active index build. */
  create(tenantId: string, name: string): Promise<Corpus>;
  /** Resolves a corpus by id or name within the tenant (CORPUS_NOT_FOUND otherwise); the question paths' lookup. */
  find(tenantId: string, idOrName: string): Promise<Corpus>;
}

export interface Services {
  corpora: CorpusService;
  ingestion: IngestionService;
  builds: BuildStore;
  search: SearchService;
  reindex: ReindexService;
  canaries: CanaryService;
  canarySchedules: CanarySchedules;
  answers: AnswerService;
  traces: TraceLog;
  conversations: ConversationService;
  sources: SourceService;
  /** Page spans (and OCR confidences) of versions, for search results and citations. */
  pages: Pick<VersionPages, 'of'>;
}

/** Everything the HTTP layer needs, built by the composition root and injected. */
export interface AppDeps {
  config: Config;
  store: Store;
  jobs: JobQueue;
  jobRecords: JobRecords;
  authenticate: Authenticator;
  readiness: ReadinessCheck[];
  services: Services;
  limits: Limits;
  idempotency: IdempotencyStore;
  metrics: Metrics;
}
