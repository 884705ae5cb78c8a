import { lineChart } from '../chart';
import { errorText, type AppContext, type View } from '../context';
import { confirmDialog } from '../dialog';
import { announce, formatDate, h, replace, shortId } from '../dom';
import type { Alert, Build, CanaryRun } from '../types';

function metric(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}

/** "got: a.pdf (3 passages), b.md" — what a missed canary retrieved instead, one entry per document. */
function gotText(got: { title: string }[]): string {
  if (got.length === 0) return 'got nothing';
  const counts = new Map<string, number>();
  for (const item of got) counts.set(item.title, (counts.get(item.title) ?? 0) + 1);
  return `got: ${[...counts].map(([title, count]) => (count > 1 ? `${title} (${count} passages)` : title)).join(', ')}`;
}

/** Why a ready build was not promoted by itself: its canary gate's reasons. */
function gateText(build: Build): HTMLElement | null {
  const report = build.canaryReport as { passed?: boolean; reasons?: unknown } | null;
  if (build.status !== 'ready' || !report || report.passed !== false) return null;
  const reasons = Array.isArray(report.reasons) ? report.reasons.map(String).join('; ') : 'the canary gate did not pass';
  return h('span', { class: 'warn-text small', text: `Canary gate: ${reasons}` });
}

/** Alert texts are written for chat webhooks; drop their :emoji: shortcodes here. */
function plainAlertText(text: string): string {
  return text.replace(/(^|\s):[a-z][a-z0-9_+-]*:(?=\s|$)/g, '$1').replace(/\s{2,}/g, ' ').trim();
}

/** The Health tab: canary recall@k and MRR over time, last run's misses, open alerts, index builds. */
export function createHealthView(ctx: AppContext): View {
  let generation = 0;
  const status = h('p', { class: 'hint', attrs: { role: 'status' } });
  const runButton = h('button', { class: 'button', attrs: { type: 'button' }, text: 'Run canaries now' });
  const refresh = h('button', { class: 'button', attrs: { type: 'button' }, text: 'Refresh' });
  const chartBox = h('div', { class: 'chart-box', attrs: { 'data-testid': 'canary-chart' } });
  const lastRun = h('div', { attrs: { 'data-testid': 'last-run' } });
  const alertsBox = h('div', { attrs: { 'data-testid': 'alerts' } });
  const buildsBody = h('tbody');
  const buildsTable = h(
    'table',
    { class: 'table builds-table', attrs: { 'data-testid': 'builds-table' } },
    h('caption', { class: 'visually-hidden', text: 'Index builds of this corpus' }),
    h('thead', {}, h('tr', {}, ...['Build', 'Status', 'Embedding model', 'Documents', 'Chunks', 'Failures', 'Created', 'Actions'].map((name) => h('th', { attrs: { scope: 'col' }, text: name })))),
    buildsBody,
  );

  const element = h(
    'div',
    { class: 'view health-view' },
    h('div', { class: 'view-head' }, h('h2', { class: 'view-title', text: 'Retrieval health' }), h('div', { class: 'row' }, runButton, refresh)),
    status,
    h('div', { class: 'health-grid' },
      h('section', { class: 'card chart-card', attrs: { 'aria-labelledby': 'chart-heading' } }, h('h3', { class: 'card-title', attrs: { id: 'chart-heading' }, text: 'Canary recall@k and MRR over time' }), chartBox),
      h('section', { class: 'card', attrs: { 'aria-labelledby': 'last-run-heading' } }, h('h3', { class: 'card-title', attrs: { id: 'last-run-heading' }, text: 'Last run' }), lastRun),
      h('section', { class: 'card', attrs: { 'aria-labelledby': 'alerts-heading' } }, h('h3', { class: 'card-title', attrs: { id: 'alerts-heading' }, text: 'Open alerts' }), alertsBox),
    ),
    h('section', { class: 'card', attrs: { 'aria-labelledby': 'builds-heading' } }, h('h3', { class: 'card-title', attrs: { id: 'builds-heading' }, text: 'Index builds' }), h('div', { class: 'table-wrap' }, buildsTable)),
  );

  let shownRuns: CanaryRun[] | undefined;
  let chartWidth = 0;
  // Redraw the chart at its new width (laptop ↔ phone, rotation); the rest of the page reflows by itself.
  new ResizeObserver(() => {
    const width = Math.round(chartBox.clientWidth);
    if (width > 0 && Math.abs(width - chartWidth) > 8 && shownRuns) renderChart(shownRuns);
  }).observe(chartBox);

  function renderChart(runs: CanaryRun[]): void {
    shownRuns = runs;
    chartWidth = Math.round(chartBox.clientWidth) || 640;
    const chronological = [...runs].reverse();
    if (chronological.length === 0) {
      replace(chartBox, h('p', { class: 'placeholder', text: 'No canary runs yet. Add canaries through the API, then run them.' }));
    } else {
      const points = (pick: (run: CanaryRun) => number | null) => chronological.map((run) => ({ x: new Date(run.createdAt).getTime(), y: run.failed ? null : pick(run) }));
      const k = chronological[chronological.length - 1]?.k ?? 10;
      replace(
        chartBox,
        lineChart(`Canary recall@${k} and MRR over ${chronological.length} run${chronological.length === 1 ? '' : 's'}`, [
          { label: `recall@${k}`, className: 'series-recall', points: points((run) => run.recallAtK) },
          { label: 'MRR', className: 'series-mrr', points: points((run) => run.mrr) },
        ], chartWidth),
      );
    }
  }

  function renderRuns(runs: CanaryRun[]): void {
    renderChart(runs);
    const last = runs[0];
    if (!last) {
      replace(lastRun, h('p', { class: 'placeholder', text: 'No run yet.' }));
      return;
    }
    const summary = h(
      'dl',
      { class: 'facts' },
      h('dt', { text: 'When' }), h('dd', { text: formatDate(last.createdAt) }),
      h('dt', { text: `Recall@${last.k}` }), h('dd', { text: metric(last.recallAtK) }),
      h('dt', { text: 'MRR' }), h('dd', { text: metric(last.mrr) }),
      h('dt', { text: 'Hits' }), h('dd', { text: `${last.hits} of ${last.total}` }),
    );
    const misses = last.misses ?? [];
    replace(
      lastRun,
      summary,
      last.failed ? h('p', { class: 'notice error', text: `The run failed: ${last.error ?? 'unknown error'}` }) : null,
      h('h4', { class: 'subhead', text: misses.length === 0 ? 'No misses' : `Misses (${misses.length})` }),
      misses.length === 0
        ? null
        : h(
            'ul',
            { class: 'misses' },
            ...misses.map((miss) =>
              h('li', {}, h('span', { class: 'miss-query', text: miss.query }), h('span', { class: 'muted small', text: gotText(miss.got ?? []) })),
            ),
          ),
    );
  }

  function renderAlerts(alerts: Alert[]): void {
    if (alerts.length === 0) {
      replace(alertsBox, h('p', { class: 'placeholder', text: 'No open alerts.' }));
      return;
    }
    replace(
      alertsBox,
      h('ul', { class: 'alerts' }, ...alerts.map((alert) => h('li', { class: 'alert' }, h('span', { class: 'badge error', text: alert.cause.replace(/_/g, ' ') }), h('span', { class: 'muted small', text: formatDate(alert.createdAt) }), h('p', { text: plainAlertText(alert.text) })))),
    );
  }

  function renderBuilds(builds: Build[]): void {
    replace(
      buildsBody,
      ...builds.map((build) => {
        const tone = build.status === 'active' ? 'ok' : build.status === 'failed' ? 'error' : build.status === 'ready' ? 'info' : 'muted';
        const canPromote = build.status === 'ready' || build.status === 'retired';
        const promote = canPromote ? h('button', { class: 'button small', attrs: { type: 'button', 'aria-label': `Promote build ${shortId(build.id)}` }, text: 'Promote' }) : null;
        promote?.addEventListener('click', () => void confirmPromote(build));
        return h(
          'tr',
          {},
          h('th', { attrs: { scope: 'row', 'data-label': 'Build' } }, h('code', { text: shortId(build.id), attrs: { title: build.id } }), build.warning ? h('span', { class: 'warn-text small', text: build.warning }) : null, gateText(build)),
          h('td', { attrs: { 'data-label': 'Status' } }, h('span', { class: `badge ${tone}`, text: build.status })),
          h('td', { attrs: { 'data-label': 'Embedding model' }, text: build.embeddingModel }),
          h('td', { attrs: { 'data-label': 'Documents' }, text: String(build.stats?.documents ?? 0) }),
          h('td', { attrs: { 'data-label': 'Chunks' }, text: String(build.stats?.chunks ?? 0) }),
          h('td', { attrs: { 'data-label': 'Failures' }, text: String(build.stats?.failures ?? 0) }),
          h('td', { attrs: { 'data-label': 'Created' }, text: formatDate(build.createdAt) }),
          h('td', { attrs: { 'data-label': 'Actions' } }, promote ?? h('span', { class: 'muted', text: build.status === 'active' ? 'serving' : '—' })),
        );
      }),
    );
  }

  async function confirmPromote(build: Build): Promise<void> {
    const force = h('input', { attrs: { type: 'checkbox', id: 'promote-force' } });
    const ok = await confirmDialog({
      title: `Promote build ${shortId(build.id)}?`,
      message: `Answers will be served from this build (${build.embeddingModel}). The current active build is retired and can be promoted back.`,
      confirmLabel: 'Promote',
      extra: h('p', { class: 'check' }, force, h('label', { attrs: { for: 'promote-force' }, text: ' Skip the canary gate (force)' })),
    });
    if (!ok) return;
    let message: string;
    try {
      await ctx.api.promote(build.id, force.checked);
      message = `Build ${shortId(build.id)} is now active.`;
    } catch (error) {
      message = `Could not promote build ${shortId(build.id)}: ${errorText(error)}`;
    }
    await load();
    status.textContent = message;
    announce(message);
  }

  async function load(): Promise<void> {
    const corpus = ctx.corpus();
    const mine = ++generation;
    if (!corpus) {
      status.textContent = 'Create or pick a corpus first.';
      return;
    }
    status.textContent = 'Loading…';
    const [runs, alerts, builds] = await Promise.allSettled([ctx.api.canaryRuns(corpus.id), ctx.api.alerts(corpus.id), ctx.api.builds(corpus.id)]);
    if (mine !== generation) return;
    const failures: string[] = [];
    if (runs.status === 'fulfilled') renderRuns(runs.value);
    else failures.push(`canary runs: ${errorText(runs.reason)}`);
    if (alerts.status === 'fulfilled') renderAlerts(alerts.value);
    else failures.push(`alerts: ${errorText(alerts.reason)}`);
    if (builds.status === 'fulfilled') renderBuilds(builds.value);
    else failures.push(`builds: ${errorText(builds.reason)}`);
    status.textContent = failures.length > 0 ? `Could not load ${failures.join('; ')}` : `Updated ${new Date().toLocaleTimeString()}`;
  }

  runButton.addEventListener('click', async () => {
    const corpus = ctx.corpus();
    if (!corpus) return;
    runButton.disabled = true;
    status.textContent = 'Running canaries…';
    try {
      const run = await ctx.api.runCanaries(corpus.id);
      await load();
      status.textContent = run.total === 0 ? 'Ran: this corpus has no canaries yet.' : `Ran ${run.total} canaries: recall@${run.k} ${metric(run.recallAtK)}, MRR ${metric(run.mrr)}.`;
    } catch (error) {
      status.textContent = `Could not run the canaries: ${errorText(error)}`;
    } finally {
      runButton.disabled = false;
    }
  });
  refresh.addEventListener('click', () => void load());

  return {
    element,
    shown() {
      void load();
    },
    corpusChanged() {
      shownRuns = undefined;
      replace(chartBox);
      replace(lastRun);
      replace(alertsBox);
      replace(buildsBody);
      generation++;
    },
  };
}
