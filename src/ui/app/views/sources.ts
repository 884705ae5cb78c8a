import { errorText, type AppContext } from '../context';
import { confirmDialog } from '../dialog';
import { announce, formatDate, h, replace } from '../dom';
import type { SiteSource, SiteSourceSync } from '../types';

const POLL_MS = 1_000;
const ERRORS_SHOWN = 20;

export interface SourcesPanel {
  element: HTMLElement;
  reload(): Promise<void>;
  corpusChanged(): void;
}

/** One line of counts: what the last sync found and did. */
export function syncSummary(sync: SiteSourceSync): string {
  const { counts } = sync;
  const parts = [`${counts.found} found`, `${counts.added} added`, `${counts.updated} updated`, `${counts.unchanged} unchanged`, `${counts.deleted} deleted`];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  return parts.join(' · ');
}

const active = (sync: SiteSourceSync | null) => sync?.status === 'queued' || sync?.status === 'running';

/** The Sources card of the Documents tab: help-center sitemaps, their last sync with its errors, add and "Sync now". */
export function createSourcesPanel(ctx: AppContext, onDocumentsChanged: () => void): SourcesPanel {
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = h('input', { class: 'input', attrs: { id: 'source-url', name: 'source-url', type: 'url', required: true, placeholder: 'https://help.example.com/sitemap.xml', 'aria-label': 'Sitemap URL' } });
  const schedule = h('input', { class: 'input', attrs: { id: 'source-schedule', name: 'source-schedule', placeholder: 'Re-sync schedule (cron, UTC), e.g. 0 3 * * *', 'aria-label': 'Re-sync schedule' } });
  const add = h('button', { class: 'button primary', attrs: { type: 'submit' }, text: 'Add sitemap' });
  const form = h('form', { class: 'row source-form', attrs: { 'data-testid': 'source-form' } }, url, schedule, add);
  const status = h('p', { class: 'hint', attrs: { role: 'status' } });
  const list = h('ul', { class: 'sources', attrs: { 'aria-label': 'Sources', 'data-testid': 'sources' } });
  const element = h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'sources-heading' } },
    h('h2', { class: 'card-title', attrs: { id: 'sources-heading' }, text: 'Sources' }),
    h('p', { class: 'hint', text: 'A help center’s sitemap: its pages become documents, kept in step on each sync (changed pages get a new version, removed ones are deleted).' }),
    form,
    status,
    list,
  );

  function syncBlock(sync: SiteSourceSync | null): HTMLElement {
    if (!sync) return h('p', { class: 'muted small', text: 'Not synced yet.' });
    const tone = sync.status === 'completed' ? (sync.counts.failed > 0 ? 'warn' : 'ok') : sync.status === 'failed' ? 'error' : 'info';
    const errors = sync.errors.slice(0, ERRORS_SHOWN);
    return h(
      'div',
      { class: 'source-sync' },
      h('p', { class: 'row small' }, h('span', { class: `badge ${tone}`, attrs: { 'data-testid': 'sync-status' }, text: sync.status }), h('span', { text: syncSummary(sync) }), h('span', { class: 'muted', text: formatDate(sync.finishedAt ?? sync.createdAt) })),
      sync.error ? h('p', { class: 'error-text small', text: `${sync.error.message} (${sync.error.code})` }) : null,
      errors.length > 0
        ? h(
            'details',
            {},
            h('summary', { class: 'small', text: `${sync.errors.length} page error${sync.errors.length === 1 ? '' : 's'}` }),
            h('ul', { class: 'source-errors small' }, ...errors.map((error) => h('li', {}, h('code', { text: error.code }), error.status ? ` HTTP ${error.status} ` : ' ', h('span', { class: 'muted', text: error.url })))),
          )
        : null,
    );
  }

  function render(sources: SiteSource[]): void {
    replace(
      list,
      ...sources.map((source) => {
        const sync = h('button', { class: 'button small', attrs: { type: 'button', disabled: active(source.lastSync) }, text: active(source.lastSync) ? 'Syncing…' : 'Sync now' });
        sync.addEventListener('click', () => void syncNow(source));
        const remove = h('button', { class: 'button small danger-outline', attrs: { type: 'button', 'aria-label': `Delete source ${source.url}` }, text: 'Delete' });
        remove.addEventListener('click', () => void confirmDelete(source));
        return h(
          'li',
          { class: 'source', attrs: { 'data-source-id': source.id } },
          h('div', { class: 'row' }, h('strong', { class: 'source-url', text: source.url }), h('span', { class: 'muted small', text: `${source.pages} page${source.pages === 1 ? '' : 's'}${source.schedule ? ` · ${source.schedule}` : ''}` }), sync, remove),
          syncBlock(source.lastSync),
        );
      }),
    );
  }

  async function reload(): Promise<void> {
    const corpus = ctx.corpus();
    const mine = generation;
    clearTimeout(timer);
    if (!corpus) return replace(list);
    try {
      const sources = await ctx.api.sources(corpus.id);
      if (mine !== generation) return;
      render(sources);
      // While a sync runs its counts move and its pages become documents: both are polled until it settles.
      if (sources.some((source) => active(source.lastSync))) {
        timer = setTimeout(() => {
          onDocumentsChanged();
          void reload();
        }, POLL_MS);
      }
    } catch (error) {
      if (mine === generation) status.textContent = `Could not load the sources: ${errorText(error)}`;
    }
  }

  async function syncNow(source: SiteSource): Promise<void> {
    try {
      await ctx.api.syncSource(source.id);
      announce(`Syncing ${source.url}`);
    } catch (error) {
      status.textContent = `Could not start the sync: ${errorText(error)}`;
    }
    await reload();
  }

  async function confirmDelete(source: SiteSource): Promise<void> {
    const ok = await confirmDialog({
      title: 'Delete source?',
      message: `${source.url} and the ${source.pages} document${source.pages === 1 ? '' : 's'} made from its pages will be removed from this corpus.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      const { deletedDocuments } = await ctx.api.deleteSource(source.id);
      status.textContent = `Deleted the source and ${deletedDocuments} document${deletedDocuments === 1 ? '' : 's'}.`;
      onDocumentsChanged();
    } catch (error) {
      status.textContent = `Could not delete the source: ${errorText(error)}`;
    }
    await reload();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const corpus = ctx.corpus();
    if (!corpus) {
      status.textContent = 'Create or pick a corpus first.';
      return;
    }
    const cron = schedule.value.trim();
    add.disabled = true;
    void ctx.api
      .createSource(corpus.id, { type: 'sitemap', url: url.value.trim(), ...(cron ? { schedule: cron } : {}) })
      .then(() => {
        url.value = '';
        schedule.value = '';
        status.textContent = 'Added: the first sync has started.';
      })
      .catch((error: unknown) => {
        status.textContent = `Could not add the source: ${errorText(error)}`;
      })
      .finally(() => {
        add.disabled = false;
        void reload();
      });
  });

  return {
    element,
    reload,
    corpusChanged() {
      generation++;
      clearTimeout(timer);
      status.textContent = '';
      replace(list);
      void reload();
    },
  };
}
