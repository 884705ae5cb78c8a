import { h } from './dom';

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  /** Extra controls (a checkbox, say), read by the caller after confirming. */
  extra?: HTMLElement;
}

/** A modal confirmation on <dialog>: focus is trapped, Escape cancels, focus returns to the opener. */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2, 8)}`;
  const cancel = h('button', { class: 'button', attrs: { type: 'button', value: 'cancel' }, text: 'Cancel' });
  const confirm = h('button', { class: options.danger ? 'button danger' : 'button primary', attrs: { type: 'submit', value: 'confirm' }, text: options.confirmLabel });
  const form = h('form', { attrs: { method: 'dialog' } }, h('h2', { attrs: { id: titleId }, text: options.title }), h('p', { text: options.message }), options.extra, h('div', { class: 'dialog-actions' }, cancel, confirm));
  const dialog = h('dialog', { class: 'dialog', attrs: { 'aria-labelledby': titleId } }, form);
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
      opener?.focus();
    });
    dialog.showModal();
    cancel.focus();
  });
}
