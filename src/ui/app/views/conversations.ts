import { errorText, type AppContext, type View } from '../context';
import { answerAsText, copyText } from '../copy';
import { announce, h, replace } from '../dom';
import type { Citation, Conversation, ConversationMessage, ConversationThread } from '../types';
import { openSourceView } from '../source-view';
import { REFUSAL_HEADLINE } from './ask';
import { createEvidencePanel } from './evidence-panel';

const OPEN_STORAGE = 'attest.conversation';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

type ThreadCitation = Citation & { deleted?: boolean };

function where(citation: ThreadCitation): string {
  const headings = (citation as { headingPath?: string[] | null }).headingPath;
  if (citation.page !== null && citation.page !== undefined) return `page ${citation.page}`;
  if (headings && headings.length > 0) return headings.join(' › ');
  return 'page unknown';
}

/** The whole thread as text for a ticket: each question, its answer with [n] markers, then its quotes. */
export function conversationAsText(thread: Pick<ConversationThread, 'title' | 'messages'>): string {
  const parts = [`Conversation: ${thread.title ?? 'untitled'}`];
  for (const message of thread.messages) {
    parts.push('', `Q${message.turn}: ${message.question}`);
    if (message.standaloneQuestion !== message.question) parts.push(`(searched for: ${message.standaloneQuestion})`);
    parts.push(answerAsText(message.answer, REFUSAL_HEADLINE));
  }
  return parts.join('\n');
}

/**
 * The Conversations tab: a list of the corpus's conversations (new, continue, rename, delete) and the
 * thread, each turn with what was searched for, its answer, citations and their quotes. Reloading the page
 * reopens the thread from the server. Stop cancels the answer being written (the server cancels the
 * provider call when the stream closes); Regenerate answers the last question again and replaces its turn.
 * A turn's citations open in the evidence panel beside the thread.
 */
export function createConversationsView(ctx: AppContext): View {
  let conversations: Conversation[] = [];
  let thread: ConversationThread | undefined;
  let controller: AbortController | undefined;

  const newButton = h('button', { class: 'button primary', attrs: { type: 'button', 'data-testid': 'new-conversation' }, text: 'New conversation' });
  const list = h('ul', { class: 'conversation-list', attrs: { 'aria-label': 'Conversations', 'data-testid': 'conversation-list' } });
  const listStatus = h('p', { class: 'hint', attrs: { role: 'status' } });
  const sidebar = h('aside', { class: 'card conversation-sidebar' }, h('h2', { class: 'card-title', text: 'Conversations' }), newButton, list, listStatus);

  const title = h('h2', { class: 'card-title', attrs: { 'data-testid': 'conversation-title' }, text: 'No conversation open' });
  const turns = h('ol', { class: 'thread', attrs: { 'aria-live': 'polite', 'data-testid': 'thread' } });
  const question = h('textarea', { class: 'input question', attrs: { id: 'conversation-question', name: 'conversation-question', rows: 2, maxlength: 4000, placeholder: 'Ask, then follow up: "and on Windows?"' } });
  const sendButton = h('button', { class: 'button primary', attrs: { type: 'submit', 'data-testid': 'send-message' }, text: 'Send' });
  const stopButton = h('button', { class: 'button', attrs: { type: 'button', hidden: true, 'data-testid': 'stop' }, text: 'Stop' });
  const regenerateButton = h('button', { class: 'button', attrs: { type: 'button', disabled: true, 'data-testid': 'regenerate' }, text: 'Regenerate' });
  const copyButton = h('button', { class: 'button', attrs: { type: 'button', disabled: true, 'data-testid': 'copy-conversation' }, text: 'Copy conversation with citations' });
  const status = h('p', { class: 'hint', attrs: { role: 'status', 'data-testid': 'conversation-status' } });
  const form = h(
    'form',
    { class: 'ask-form' },
    h('label', { class: 'label', attrs: { for: 'conversation-question' }, text: 'Message' }),
    h('div', { class: 'ask-row' }, question, sendButton, stopButton),
    h('div', { class: 'row' }, regenerateButton, copyButton),
    status,
  );
  const main = h('section', { class: 'card conversation-main' }, title, turns, form);
  const evidence = createEvidencePanel(ctx);
  const element = h('div', { class: 'view conversations-view' }, sidebar, main, evidence.element);

  function citationButton(citation: ThreadCitation): HTMLButtonElement {
    const button = h('button', { class: 'link-button', attrs: { type: 'button', 'aria-controls': 'evidence-panel', 'data-testid': 'open-evidence' }, text: `[${citation.n}] ${citation.title}, ${where(citation)}` });
    button.addEventListener('click', () => {
      for (const other of turns.querySelectorAll('[data-testid="open-evidence"][aria-current]')) other.removeAttribute('aria-current');
      button.setAttribute('aria-current', 'true');
      void evidence.show(citation);
    });
    return button;
  }

  function citationList(answer: ConversationMessage['answer']): HTMLElement | null {
    if (answer.citations.length === 0) return null;
    return h(
      'ol',
      { class: 'turn-citations' },
      ...(answer.citations as ThreadCitation[]).map((citation) =>
        h(
          'li',
          { attrs: { 'data-testid': 'turn-citation' } },
          citationButton(citation),
          citation.deleted ? h('span', { class: 'badge warn', text: 'Document deleted since' }) : citation.verified ? h('span', { class: 'badge ok', text: 'Verified quote' }) : h('span', { class: 'badge warn', text: 'Unverified' }),
          h('blockquote', { class: 'quote', text: citation.quote }),
          citation.deleted ? null : h('button', { class: 'button small', attrs: { type: 'button' }, text: 'Open original', on: { click: () => void openSourceView(ctx.api, { ...citation, location: where(citation) }) } }),
        ),
      ),
    );
  }

  function renderTurn(message: ConversationMessage): HTMLElement {
    const answer = message.answer;
    return h(
      'li',
      { class: 'turn', attrs: { 'data-turn': message.turn, 'data-trace': answer.traceId } },
      h('p', { class: 'turn-question', text: message.question }),
      message.standaloneQuestion !== message.question ? h('p', { class: 'hint', attrs: { 'data-testid': 'searched-for' }, text: `Searched for: ${message.standaloneQuestion}` }) : null,
      answer.refused
        ? h('div', { class: 'refusal', attrs: { 'data-testid': 'refusal' } }, h('p', { class: 'refusal-title', text: REFUSAL_HEADLINE }), answer.refusalReason ? h('p', { class: 'muted', text: `Reason: ${answer.refusalReason}` }) : null)
        : h('p', { class: 'answer-text', attrs: { 'data-testid': 'turn-answer' }, text: answer.answer }),
      citationList(answer),
      answer.traceId ? ratingRow(message) : null,
    );
  }

  /** Thumbs for one turn: the rating goes to POST /v1/feedback with the turn's trace, and is shown on reload. */
  function ratingRow(message: ConversationMessage): HTMLElement {
    const note = h('span', { class: 'hint', attrs: { role: 'status' } });
    const button = (rating: 'up' | 'down', label: string) => {
      const element = h('button', { class: 'button small', attrs: { type: 'button', 'aria-pressed': message.feedback === rating ? 'true' : 'false', 'aria-label': `${label}: turn ${message.turn}` }, text: label });
      element.addEventListener('click', async () => {
        try {
          await ctx.api.feedback(message.answer.traceId, rating);
          message.feedback = rating;
          for (const other of row.querySelectorAll('button')) other.setAttribute('aria-pressed', other === element ? 'true' : 'false');
          note.textContent = 'Thanks for the feedback';
        } catch (error) {
          note.textContent = `Feedback failed: ${errorText(error)}`;
        }
      });
      return element;
    };
    const row = h('div', { class: 'turn-rating', attrs: { role: 'group', 'aria-label': `Rate turn ${message.turn}` } }, button('up', 'Helpful'), button('down', 'Not helpful'), note);
    return row;
  }

  function renderThread(): void {
    title.textContent = thread ? (thread.title ?? 'New conversation') : 'No conversation open';
    replace(turns, ...(thread?.messages ?? []).map(renderTurn));
    copyButton.disabled = !thread || thread.messages.length === 0;
    regenerateButton.disabled = !thread || thread.messages.length === 0 || controller !== undefined;
    question.disabled = !thread;
    sendButton.disabled = !thread || controller !== undefined;
  }

  function renderList(): void {
    replace(
      list,
      ...conversations.map((conversation) => {
        const open = h('button', { class: 'link-button', attrs: { type: 'button', 'aria-current': conversation.id === thread?.id ? 'true' : 'false' }, text: conversation.title ?? 'New conversation' });
        open.addEventListener('click', () => void openConversation(conversation.id));
        const rename = h('button', { class: 'button small', attrs: { type: 'button', 'aria-label': `Rename ${conversation.title ?? 'conversation'}` }, text: 'Rename' });
        rename.addEventListener('click', () => void renameConversation(conversation));
        const remove = h('button', { class: 'button small', attrs: { type: 'button', 'aria-label': `Delete ${conversation.title ?? 'conversation'}` }, text: 'Delete' });
        remove.addEventListener('click', () => void deleteConversation(conversation));
        return h('li', { class: 'conversation-item' }, open, h('span', { class: 'muted', text: ` ${conversation.turns} turn${conversation.turns === 1 ? '' : 's'} ` }), rename, remove);
      }),
    );
    listStatus.textContent = conversations.length === 0 ? 'No conversations in this corpus yet.' : '';
  }

  async function refreshList(): Promise<void> {
    const corpus = ctx.corpus();
    if (!corpus) {
      conversations = [];
      renderList();
      return;
    }
    try {
      conversations = await ctx.api.conversations(corpus.id);
      renderList();
    } catch (error) {
      listStatus.textContent = `Could not list conversations: ${errorText(error)}`;
    }
  }

  async function openConversation(id: string): Promise<void> {
    try {
      thread = await ctx.api.conversation(id);
      storage()?.setItem(OPEN_STORAGE, id);
      evidence.clear();
      renderThread();
      renderList();
    } catch (error) {
      storage()?.removeItem(OPEN_STORAGE);
      status.textContent = `Could not open the conversation: ${errorText(error)}`;
    }
  }

  async function renameConversation(conversation: Conversation): Promise<void> {
    const name = window.prompt('New title', conversation.title ?? '')?.trim();
    if (!name) return;
    try {
      await ctx.api.renameConversation(conversation.id, name);
      if (thread?.id === conversation.id) thread = { ...thread, title: name };
      await refreshList();
      renderThread();
    } catch (error) {
      listStatus.textContent = `Rename failed: ${errorText(error)}`;
    }
  }

  async function deleteConversation(conversation: Conversation): Promise<void> {
    if (!window.confirm(`Delete "${conversation.title ?? 'this conversation'}" and its answers?`)) return;
    try {
      await ctx.api.deleteConversation(conversation.id);
      if (thread?.id === conversation.id) {
        thread = undefined;
        storage()?.removeItem(OPEN_STORAGE);
      }
      await refreshList();
      renderThread();
    } catch (error) {
      listStatus.textContent = `Delete failed: ${errorText(error)}`;
    }
  }

  /** Sends a message; with `regenerate`, the last turn is answered again and replaced (kept if stopped or failed). */
  async function send(text: string, regenerate = false): Promise<void> {
    if (!thread || !text.trim() || controller) return;
    const mine = new AbortController();
    controller = mine;
    stopButton.hidden = false;
    renderThread();
    const pending = h('li', { class: 'turn pending' }, h('p', { class: 'turn-question', text }), h('p', { class: 'answer-text draft', attrs: { 'data-testid': 'draft' } }));
    // Regenerating: the draft stands in for the last turn until the new answer replaces it.
    if (regenerate) turns.lastElementChild?.setAttribute('hidden', '');
    turns.append(pending);
    const draft = pending.lastElementChild as HTMLElement;
    status.textContent = 'Retrieving…';
    try {
      const turn = await ctx.api.sendMessage(
        thread.id,
        text,
        {
          onRetrieval: () => (status.textContent = 'Writing…'),
          onDelta: (delta) => draft.append(document.createTextNode(delta)),
          onReset: () => draft.replaceChildren(),
        },
        mine.signal,
        { regenerate },
      );
      const { conversationId: _id, turn: number, question: asked, standaloneQuestion, ...answer } = turn;
      const kept = thread.messages.filter((message) => message.turn !== number);
      // Just answered: none of its cited versions has been deleted, and it has no rating yet.
      const message = { turn: number, question: asked, standaloneQuestion, createdAt: new Date().toISOString(), traceId: answer.traceId ?? null, feedback: null, answer: { ...answer, citations: answer.citations.map((citation) => ({ ...citation, deleted: false })) } };
      thread = { ...thread, turns: number, title: thread.title ?? asked.slice(0, 80), messages: [...kept, message] };
      evidence.clear();
      question.value = '';
      status.textContent = '';
      announce(turn.refused ? REFUSAL_HEADLINE : 'Answer ready');
    } catch (error) {
      status.textContent = mine.signal.aborted ? 'Stopped: this question was not answered.' : `The answer failed: ${errorText(error)}`;
    } finally {
      controller = undefined;
      stopButton.hidden = true;
      renderThread();
      void refreshList();
    }
  }

  newButton.addEventListener('click', async () => {
    const corpus = ctx.corpus();
    if (!corpus) return;
    try {
      const created = await ctx.api.createConversation(corpus.id);
      thread = created;
      storage()?.setItem(OPEN_STORAGE, created.id);
      await refreshList();
      renderThread();
      question.focus();
    } catch (error) {
      listStatus.textContent = `Could not start a conversation: ${errorText(error)}`;
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(question.value);
  });
  question.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  stopButton.addEventListener('click', () => controller?.abort());
  regenerateButton.addEventListener('click', () => {
    const last = thread?.messages[thread.messages.length - 1];
    if (last) void send(last.question, true);
  });
  copyButton.addEventListener('click', async () => {
    if (!thread) return;
    try {
      await copyText(conversationAsText(thread));
      status.textContent = 'Copied';
    } catch (error) {
      status.textContent = `Copy failed: ${errorText(error)}`;
    }
  });

  renderThread();
  return {
    element,
    shown() {
      void refreshList();
    },
    corpusChanged() {
      controller?.abort();
      thread = undefined;
      evidence.clear();
      renderThread();
      void refreshList().then(async () => {
        const open = storage()?.getItem(OPEN_STORAGE);
        if (open && conversations.some((conversation) => conversation.id === open)) await openConversation(open);
      });
    },
  };
}
