import { Api } from './api';
import { errorText, type AppContext, type View } from './context';
import { announce, h, replace } from './dom';
import type { Corpus } from './types';
import { createAskView } from './views/ask';
import { createConversationsView } from './views/conversations';
import { createDocumentsView } from './views/documents';
import { createHealthView } from './views/health';

/** The key lives in sessionStorage: gone when the tab closes, never in localStorage or a cookie. */
const KEY_STORAGE = 'attest.apiKey';
const CORPUS_STORAGE = 'attest.corpus';

const root = document.getElementById('app') as HTMLElement;

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

// A file dropped outside the drop zone must not navigate away from the page.
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

function signOut(message?: string): void {
  storage()?.removeItem(KEY_STORAGE);
  renderSignIn(message);
}

function renderSignIn(message?: string): void {
  const input = h('input', { class: 'input', attrs: { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'api-key-hint' } });
  const error = h('p', { class: 'notice error', attrs: { role: 'alert', hidden: !message }, text: message ?? '' });
  const submit = h('button', { class: 'button primary', attrs: { type: 'submit' }, text: 'Sign in' });
  const form = h(
    'form',
    { class: 'card signin', attrs: { 'aria-labelledby': 'signin-heading' } },
    h('h1', { class: 'brand-title', attrs: { id: 'signin-heading' }, text: 'Attest' }),
    h('p', { class: 'muted', text: 'Cited answers from your support documents.' }),
    h('label', { class: 'label', attrs: { for: 'api-key' }, text: 'API key' }),
    input,
    h('p', { class: 'hint', attrs: { id: 'api-key-hint' }, text: 'Kept in this browser tab only, until you sign out or close it.' }),
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    submit.disabled = true;
    error.hidden = true;
    try {
      const api = new Api(key);
      const corpora = await api.corpora();
      storage()?.setItem(KEY_STORAGE, key);
      renderApp(api, corpora);
    } catch (failure) {
      error.textContent = `Sign-in failed: ${errorText(failure)}`;
      error.hidden = false;
      input.focus();
      input.select();
    } finally {
      submit.disabled = false;
    }
  });
  replace(root, h('main', { class: 'signin-page', attrs: { id: 'main' } }, form));
  input.focus();
}

type TabName = 'ask' | 'conversations' | 'documents' | 'health';
const TABS: { name: TabName; label: string }[] = [
  { name: 'ask', label: 'Ask' },
  { name: 'conversations', label: 'Conversations' },
  { name: 'documents', label: 'Documents' },
  { name: 'health', label: 'Health' },
];

function renderApp(api: Api, initialCorpora: Corpus[]): void {
  let corpora = initialCorpora;
  const stored = storage()?.getItem(CORPUS_STORAGE);
  let selected: Corpus | null = corpora.find((corpus) => corpus.id === stored) ?? corpora[0] ?? null;
  api.onUnauthorized = () => signOut('Your API key was not accepted any more; sign in again.');
  const ctx: AppContext = { api, corpus: () => selected };

  // ---- corpus picker and creation
  const picker = h('select', { class: 'input select', attrs: { id: 'corpus-picker', name: 'corpus' } });
  const fillPicker = () => {
    replace(picker, ...(corpora.length === 0 ? [h('option', { attrs: { value: '' }, text: 'No corpora yet' })] : corpora.map((corpus) => h('option', { attrs: { value: corpus.id, selected: corpus.id === selected?.id }, text: corpus.name }))));
    picker.disabled = corpora.length === 0;
    if (selected) picker.value = selected.id;
  };
  const newName = h('input', { class: 'input', attrs: { id: 'new-corpus', name: 'new-corpus', required: true, maxlength: 100, autocomplete: 'off', placeholder: 'e.g. support-docs' } });
  const createButton = h('button', { class: 'button', attrs: { type: 'submit' }, text: 'Create' });
  const createError = h('p', { class: 'notice error', attrs: { role: 'alert', hidden: true } });
  const createForm = h(
    'form',
    { class: 'create-corpus' },
    h('label', { class: 'label', attrs: { for: 'new-corpus' }, text: 'New corpus name' }),
    h('div', { class: 'row' }, newName, createButton),
    createError,
  );
  const createDisclosure = h('details', { class: 'create-disclosure' }, h('summary', { class: 'button small', text: 'New corpus' }), createForm);
  const signOutButton = h('button', { class: 'button small', attrs: { type: 'button' }, text: 'Sign out' });
  signOutButton.addEventListener('click', () => signOut());

  const header = h(
    'header',
    { class: 'topbar' },
    h('span', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' }, text: 'A' }), 'Attest'),
    h('div', { class: 'corpus-picker' }, h('label', { class: 'label inline', attrs: { for: 'corpus-picker' }, text: 'Corpus' }), picker),
    createDisclosure,
    signOutButton,
  );

  // ---- tabs (the WAI-ARIA tabs pattern: arrows move between tabs, Tab goes into the panel)
  const views: Record<TabName, View> = { ask: createAskView(ctx), conversations: createConversationsView(ctx), documents: createDocumentsView(ctx), health: createHealthView(ctx) };
  const tabButtons = new Map<TabName, HTMLButtonElement>();
  const panels = new Map<TabName, HTMLElement>();
  const tablist = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Sections' } });
  for (const tab of TABS) {
    const button = h('button', { class: 'tab', attrs: { type: 'button', role: 'tab', id: `tab-${tab.name}`, 'aria-controls': `panel-${tab.name}`, 'aria-selected': 'false', tabindex: -1 }, text: tab.label });
    button.addEventListener('click', () => select(tab.name));
    tabButtons.set(tab.name, button);
    tablist.appendChild(button);
    panels.set(tab.name, h('section', { class: 'panel', attrs: { id: `panel-${tab.name}`, role: 'tabpanel', 'aria-labelledby': `tab-${tab.name}`, hidden: true } }, views[tab.name].element));
  }
  tablist.addEventListener('keydown', (event) => {
    const names = TABS.map((tab) => tab.name);
    const index = names.indexOf(active);
    const next = event.key === 'ArrowRight' ? names[(index + 1) % names.length] : event.key === 'ArrowLeft' ? names[(index + names.length - 1) % names.length] : event.key === 'Home' ? names[0] : event.key === 'End' ? names[names.length - 1] : undefined;
    if (!next) return;
    event.preventDefault();
    select(next);
    tabButtons.get(next)?.focus();
  });

  let active: TabName = 'ask';
  function select(name: TabName): void {
    active = name;
    for (const [tab, button] of tabButtons) {
      button.setAttribute('aria-selected', String(tab === name));
      button.tabIndex = tab === name ? 0 : -1;
      const panel = panels.get(tab);
      if (panel) panel.hidden = tab !== name;
    }
    if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
    views[name].shown();
  }

  function setCorpus(corpus: Corpus | null): void {
    selected = corpus;
    if (corpus) storage()?.setItem(CORPUS_STORAGE, corpus.id);
    fillPicker();
    for (const view of Object.values(views)) view.corpusChanged();
    views[active].shown();
  }

  picker.addEventListener('change', () => {
    setCorpus(corpora.find((corpus) => corpus.id === picker.value) ?? null);
    announce(`Corpus ${selected?.name ?? 'none'} selected`);
  });
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = newName.value.trim();
    if (!name) return;
    createButton.disabled = true;
    createError.hidden = true;
    try {
      const created = await api.createCorpus(name);
      corpora = await api.corpora();
      newName.value = '';
      createDisclosure.open = false;
      setCorpus(corpora.find((corpus) => corpus.id === created.id) ?? created);
      announce(`Corpus ${created.name} created and selected`);
      picker.focus();
    } catch (error) {
      createError.textContent = errorText(error);
      createError.hidden = false;
    } finally {
      createButton.disabled = false;
    }
  });

  fillPicker();
  replace(root, header, h('main', { class: 'main', attrs: { id: 'main', tabindex: -1 } }, tablist, ...panels.values()));
  for (const view of Object.values(views)) view.corpusChanged();
  const fromHash = location.hash.slice(1) as TabName;
  select(TABS.some((tab) => tab.name === fromHash) ? fromHash : 'ask');
  if (corpora.length === 0) createDisclosure.open = true;
}

async function start(): Promise<void> {
  const key = storage()?.getItem(KEY_STORAGE);
  if (!key) return renderSignIn();
  const api = new Api(key);
  try {
    renderApp(api, await api.corpora());
  } catch (error) {
    signOut(`Sign in again: ${errorText(error)}`);
  }
}

void start();
