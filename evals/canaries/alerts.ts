/**
 * Alert decisions, pure: which causes a run raises and which open alerts it
 * resolves. Delivery and deduplication state live in canary-service.ts.
 */

export type AlertCause = 'recall_below_threshold' | 'recall_drop' | 'run_failed';

export interface AlertPolicy {
  threshold: number;
  dropDelta: number;
}

export interface RunForAlerts {
  failed: boolean;
  recallAtK: number | null;
  total: number;
}

export function alertCauses(run: RunForAlerts, previous: RunForAlerts | undefined, policy: AlertPolicy): AlertCause[] {
  if (run.failed) return ['run_failed'];
  if (run.total === 0 || run.recallAtK === null) return [];
  const causes: AlertCause[] = [];
  if (run.recallAtK < policy.threshold) causes.push('recall_below_threshold');
  if (previous && !previous.failed && previous.recallAtK !== null && previous.recallAtK - run.recallAtK > policy.dropDelta) causes.push('recall_drop');
  return causes;
}

/** A healthy run resolves every open alert whose cause it no longer shows. */
export function resolvedCauses(open: readonly AlertCause[], raised: readonly AlertCause[]): AlertCause[] {
  return open.filter((cause) => !raised.includes(cause));
}

export interface AlertMessageInput {
  corpus: { id: string; name: string };
  buildId: string | null;
  cause: AlertCause;
  recallAtK: number | null;
  previous: number | null;
  threshold: number;
  misses: { query: string; got: { title: string }[] }[];
  runId: string;
  error?: string | null;
}

const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);

export function alertPayload(input: AlertMessageInput, kind: 'alert' | 'recovery'): Record<string, unknown> {
  const lead =
    kind === 'recovery'
      ? `:white_check_mark: Attest canaries recovered for corpus "${input.corpus.name}": recall@k ${percent(input.recallAtK)}`
      : input.cause === 'run_failed'
        ? `:rotating_light: Attest canary run failed for corpus "${input.corpus.name}": ${input.error ?? 'unknown error'}`
        : `:rotating_light: Attest canary recall for corpus "${input.corpus.name}" is ${percent(input.recallAtK)} (previous ${percent(input.previous)}, threshold ${percent(input.threshold)})`;
  const missLines = kind === 'alert' ? input.misses.slice(0, 5).map((miss) => `• missed "${miss.query}" → got ${miss.got.map((item) => item.title).slice(0, 3).join(', ') || 'nothing'}`) : [];
  return {
    kind,
    text: [lead, ...missLines].join('\n'),
    corpus: input.corpus,
    build: input.buildId,
    cause: input.cause,
    metric: 'recall@k',
    value: input.recallAtK,
    previous: input.previous,
    threshold: input.threshold,
    misses: kind === 'alert' ? input.misses : [],
    runId: input.runId,
  };
}
