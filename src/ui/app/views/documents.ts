import { errorText, type AppContext, type View } from '../context';
import { confirmDialog } from '../dialog';
import { announce, formatBytes, formatDate, h, replace } from '../dom';
import type { DocumentSummary, Job } from '../types';
import { createSourcesPanel } from './sources';

const STAGES = ['parse', 'chunk', 'embed', 'index'] as const;
const STAGE_LABEL: Record<string, string> = { parse: 'Parsing', chunk: 'Chunking', embed: 'Embedding', index: 'Indexing', queued: 'Queued' };
const POLL_MS = 400;
const UPLOAD_CONCURRENCY = 2;

/** 0..100 across the four stages, each a quarter. */
export function jobPercent(job: Pick<Job, 'state' | 'progress'>): number {
  if (job.state === 'completed') return 100;
  const index = STAGES.indexOf(job.progress.stage as (typeof STAGES)[number]);
  if (index === -1) return 0;
  const within = job.progress.total > 0 ? Math.min(1, job.progress.done / job.progress.total) : 0;
  return Math.round((index + within) * 25);
}

function stageText(job: Job): string {
  const label = STAGE_LABEL[job.progress.stage] ?? job.progress.stage;
  if (job.state === 'queued') return 'Queued';
  return job.progress.total > 1 ? `${label} ${job.progress.done}/${job.progress.total}` : `${label}…`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface UploadRow {
  file: File;
  element: HTMLLIElement;
  bar: HTMLProgressElement;
  stage: HTMLSpanElement;
  message: HTMLParagraphElement;
}

/** The Documents tab: drag-and-drop upload with per-file job progress, the list, delete. */
export function createDocumentsView(ctx: AppContext): View {
  let generation = 0;
  const input = h('input', { class: 'file-input', attrs: { id: 'upload-files', type: 'file', multiple: true, accept: '.pdf,.md,.markdown,.html,.htm,.txt,application/pdf,text/markdown,text/html,text/plain', 'aria-describedby': 'upload-hint' } });
  const dropzone = h(
    'div',
    { class: 'dropzone', attrs: { 'data-testid': 'dropzone' } },
    input,
    h('label', { class: 'dropzone-label', attrs: { for: 'upload-files' } }, h('strong', { text: 'Drop files here' }), ' or ', h('span', { class: 'like-link', text: 'choose files' })),
    h('p', { class: 'hint', attrs: { id: 'upload-hint' }, text: 'PDF, Markdown, HTML or plain text. Several at once is fine.' }),
  );
  const uploads = h('ul', { class: 'uploads', attrs: { 'aria-label': 'Uploads', 'data-testid': 'uploads' } });
  const listStatus = h('p', { class: 'hint', attrs: { role: 'status' } });
  const tableBody = h('tbody');
  const table = h(
    'table',
    { class: 'table doc-table', attrs: { 'data-testid': 'documents-table' } },
    h('caption', { class: 'visually-hidden', text: 'Documents in this corpus' }),
    h('thead', {}, h('tr', {}, ...['Title', 'Status', 'Pages', 'Chunks', 'Versions', 'Added', 'Actions'].map((name) => h('th', { attrs: { scope: 'col' }, text: name })))),
    tableBody,
  );
  const refresh = h('button', { class: 'button', attrs: { type: 'button' }, text: 'Refresh' });
  const sources = createSourcesPanel(ctx, () => void reload());
  const element = h(
    'div',
    { class: 'view documents-view' },
    h('section', { class: 'card', attrs: { 'aria-labelledby': 'upload-heading' } }, h('h2', { class: 'card-title', attrs: { id: 'upload-heading' }, text: 'Upload documents' }), dropzone, uploads),
    h(
      'section',
      { class: 'card', attrs: { 'aria-labelledby': 'documents-heading' } },
      h('div', { class: 'card-head' }, h('h2', { class: 'card-title', attrs: { id: 'documents-heading' }, text: 'Documents' }), refresh),
      listStatus,
      h('div', { class: 'table-wrap' }, table),
    ),
    sources.element,
  );

  // ---- list
  let loading: Promise<void> | undefined;
  async function load(): Promise<void> {
    const corpus = ctx.corpus();
    const mine = generation;
    if (!corpus) {
      replace(tableBody);
      listStatus.textContent = 'Create or pick a corpus first.';
      return;
    }
    listStatus.textContent = 'Loading…';
    try {
      const documents = await ctx.api.documents(corpus.id);
      if (mine !== generation) return;
      render(documents);
      listStatus.textContent = documents.length === 0 ? 'No documents yet: upload some above.' : `${documents.length} document${documents.length === 1 ? '' : 's'}`;
    } catch (error) {
      if (mine === generation) listStatus.textContent = `Could not load the documents: ${errorText(error)}`;
    }
  }
  function reload(): Promise<void> {
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  function statusBadge(status: string): HTMLElement {
    const tone = status === 'ready' ? 'ok' : status === 'failed' ? 'error' : 'info';
    return h('span', { class: `badge ${tone}`, text: status });
  }

  function render(documents: DocumentSummary[]): void {
    replace(
      tableBody,
      ...documents.map((document) => {
        const latest = document.versions[0];
        const remove = h('button', { class: 'button small danger-outline', attrs: { type: 'button', 'aria-label': `Delete ${document.title}` }, text: 'Delete' });
        remove.addEventListener('click', () => void confirmDelete(document));
        const failure = document.versions.find((version) => version.error)?.error;
        return h(
          'tr',
          { attrs: { 'data-document-id': document.id } },
          h('th', { attrs: { scope: 'row', 'data-label': 'Title' } }, h('span', { class: 'doc-title', text: document.title }), latest?.fileName ? h('span', { class: 'muted small', text: `${latest.fileName} · ${formatBytes(latest.bytes)}` }) : null, failure ? h('span', { class: 'error-text small', text: failure.message }) : null),
          h('td', { attrs: { 'data-label': 'Status' } }, statusBadge(document.status)),
          h('td', { attrs: { 'data-label': 'Pages' }, text: latest?.pages != null ? String(latest.pages) : '—' }),
          h('td', { attrs: { 'data-label': 'Chunks' }, text: latest ? String(latest.chunkCount) : '—' }),
          h('td', { attrs: { 'data-label': 'Versions' }, text: String(document.versions.length) }),
          h('td', { attrs: { 'data-label': 'Added' }, text: formatDate(document.createdAt ?? latest?.createdAt ?? '') }),
          h('td', { attrs: { 'data-label': 'Actions' } }, remove),
        );
      }),
    );
  }

  async function confirmDelete(document: DocumentSummary): Promise<void> {
    const ok = await confirmDialog({
      title: 'Delete document?',
      message: `“${document.title}” and ${document.versions.length === 1 ? 'its version' : `all ${document.versions.length} of its versions`} will be removed from this corpus and its indexes. Answers will no longer cite it.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await ctx.api.deleteDocument(document.id);
      announce(`Deleted ${document.title}`);
      listStatus.textContent = `Deleted “${document.title}”.`;
    } catch (error) {
      listStatus.textContent = `Could not delete “${document.title}”: ${errorText(error)}`;
    }
    await reload();
  }

  // ---- uploads
  function uploadRow(file: File): UploadRow {
    const id = `upload-${Math.random().toString(36).slice(2, 9)}`;
    const bar = h('progress', { class: 'progress', attrs: { max: 100, value: 0, 'aria-labelledby': `${id}-name`, 'aria-describedby': `${id}-stage` } });
    const stage = h('span', { class: 'stage', attrs: { id: `${id}-stage`, 'data-testid': 'upload-stage' }, text: 'Waiting…' });
    const message = h('p', { class: 'upload-message', attrs: { 'aria-live': 'polite' } });
    const element = h(
      'li',
      { class: 'upload', attrs: { 'data-state': 'waiting', 'data-file': file.name } },
      h('div', { class: 'upload-head' }, h('span', { class: 'upload-name', attrs: { id: `${id}-name` }, text: file.name }), h('span', { class: 'muted small', text: formatBytes(file.size) }), stage),
      bar,
      message,
    );
    return { file, element, bar, stage, message };
  }

  function finish(row: UploadRow, state: 'done' | 'failed', text: string, message = ''): void {
    row.element.dataset.state = state;
    row.stage.textContent = text;
    row.message.textContent = message;
    if (state === 'done') row.bar.value = 100;
    announce(`${row.file.name}: ${text}${message ? `: ${message}` : ''}`);
    void reload();
  }

  async function follow(row: UploadRow, jobId: string): Promise<void> {
    for (;;) {
      let job: Job;
      try {
        job = await ctx.api.job(jobId);
      } catch (error) {
        finish(row, 'failed', 'Failed', `Lost track of the job: ${errorText(error)}`);
        return;
      }
      row.bar.value = jobPercent(job);
      if (job.state === 'completed') return finish(row, 'done', 'Done');
      if (job.state === 'failed') return finish(row, 'failed', 'Failed', job.error?.message ?? 'the job failed');
      row.stage.textContent = stageText(job);
      await sleep(POLL_MS);
    }
  }

  async function uploadOne(row: UploadRow, corpusId: string): Promise<void> {
    row.element.dataset.state = 'uploading';
    row.stage.textContent = 'Uploading…';
    row.bar.removeAttribute('value');
    try {
      const result = await ctx.api.upload(corpusId, row.file);
      row.bar.value = 0;
      row.element.dataset.state = 'processing';
      if (result.deduplicated && result.status === 'ready') return finish(row, 'done', 'Done', 'Already uploaded: identical content, nothing to do.');
      if (result.status === 'failed' && !result.jobId) return finish(row, 'failed', 'Failed', 'This exact file failed before.');
      if (!result.jobId) return finish(row, 'done', 'Done');
      row.stage.textContent = 'Queued';
      await follow(row, result.jobId);
    } catch (error) {
      row.bar.value = 0;
      finish(row, 'failed', 'Failed', errorText(error));
    }
  }

  async function uploadFiles(files: File[]): Promise<void> {
    const corpus = ctx.corpus();
    if (!corpus || files.length === 0) {
      if (!corpus) listStatus.textContent = 'Create or pick a corpus before uploading.';
      return;
    }
    const rows = files.map(uploadRow);
    uploads.prepend(...rows.map((row) => row.element));
    const queue = [...rows];
    await Promise.all(
      Array.from({ length: Math.min(UPLOAD_CONCURRENCY, queue.length) }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) await uploadOne(row, corpus.id);
      }),
    );
  }

  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    void uploadFiles(files);
  });
  for (const name of ['dragenter', 'dragover']) {
    dropzone.addEventListener(name, (event) => {
      event.preventDefault();
      const drag = event as DragEvent;
      if (drag.dataTransfer) drag.dataTransfer.dropEffect = 'copy';
      dropzone.classList.add('dragging');
    });
  }
  dropzone.addEventListener('dragleave', (event) => {
    if (!dropzone.contains((event as DragEvent).relatedTarget as Node | null)) dropzone.classList.remove('dragging');
  });
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropzone.classList.remove('dragging');
    void uploadFiles([...((event as DragEvent).dataTransfer?.files ?? [])]);
  });
  refresh.addEventListener('click', () => void reload());

  return {
    element,
    shown() {
      void reload();
      void sources.reload();
    },
    corpusChanged() {
      generation++;
      loading = undefined;
      replace(tableBody);
      replace(uploads);
      sources.corpusChanged();
      void reload();
    },
  };
}
