// The Notebook tab's questions to the user (restart the kernel? replace a file? a new name?) as one modal
// <dialog>: the browser traps the focus inside it and Escape cancels; the first choice that is not Cancel is
// focused (or the text field), so Enter answers as Jupyter's dialogs do.

import { h } from './dom.js';

export interface Choice {
  label: string;
  value: string;
  /** drawn as the main action */
  primary?: boolean;
  /** drawn as a destructive action */
  danger?: boolean;
}

export interface Question {
  title: string;
  body: string | (Node | string)[];
  /** the buttons, Cancel included if wanted (Escape answers null in every case) */
  choices: Choice[];
  /** a text field (a new name), answered with the choice */
  input?: { label: string; value: string; check?: (text: string) => string | null };
}

export interface Answer {
  choice: string;
  text: string;
}

/** Asks; resolves with the choice (and the field's text), or null when cancelled (Escape, Cancel). */
export function ask(q: Question): Promise<Answer | null> {
  const title = h('h2', { id: 'notebook-dialog-title' }, q.title);
  const body = h('div', { class: 'nb-dialog-body' }, ...(typeof q.body === 'string' ? [h('p', {}, q.body)] : q.body));
  const error = h('p', { class: 'error', role: 'alert' });
  const field = q.input === undefined ? null : h('input', { type: 'text', 'aria-label': q.input.label, spellcheck: 'false' });
  if (field !== null && q.input !== undefined) field.value = q.input.value;
  const buttons = q.choices.map((c) => {
    const b = h('button', { type: 'button', class: c.primary === true ? 'primary' : c.danger === true ? 'danger' : '', value: c.value }, c.label);
    return b;
  });
  const dialog = h('dialog', { class: 'nb-dialog', 'data-testid': 'notebook-dialog', 'aria-labelledby': 'notebook-dialog-title' },
    title, body, ...(field === null ? [] : [h('label', { class: 'nb-dialog-field' }, q.input?.label ?? '', field)]), error,
    h('div', { class: 'nb-dialog-buttons' }, ...buttons));
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answered = false;
    const finish = (a: Answer | null): void => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(a);
    };
    for (const b of buttons) {
      b.addEventListener('click', () => {
        if (b.value === 'cancel') {
          finish(null);
          return;
        }
        const text = field?.value.trim() ?? '';
        const bad = field !== null ? q.input?.check?.(text) ?? null : null;
        if (bad !== null) {
          error.textContent = bad;
          field?.focus();
          return;
        }
        finish({ choice: b.value, text });
      });
    }
    field?.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        (buttons.find((b) => b.value !== 'cancel') ?? buttons[0])?.click();
      }
    });
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(null);
    });
    dialog.showModal();
    if (field !== null) {
      field.focus();
      field.select();
    } else (buttons.find((b) => b.classList.contains('primary')) ?? buttons.find((b) => b.value !== 'cancel') ?? buttons[0])?.focus();
  });
}

export const CANCEL: Choice = { label: 'Cancel', value: 'cancel' };
