// The lab's code editor, one configuration for the Notebook tab's cells and the Exercises tab: CodeMirror 6
// (basicSetup) with Python highlighting, four-space indentation, Tab indents (Escape then Tab leaves the
// editor: keyboard users are never trapped), completion on request (Ctrl+Space, as Jupyter: no list that
// pops up while typing, takes Enter, and covers the buttons below), the caller's keys (run, check) tried
// first, and one callback with the whole text after each edit.

import { autocompletion } from '@codemirror/autocomplete';
import { indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { indentUnit } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { keymap, type KeyBinding } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';

export interface CodeEditorOptions {
  /** Python highlighting and indentation (true: code; false: a markdown cell, plain text) */
  python: boolean;
  /** keys tried before the editor's own: Shift+Enter / Ctrl+Enter to run or check */
  keys: readonly KeyBinding[];
  /** the whole text after each change the user makes (not after setText) */
  onChange: (text: string) => void;
  /** the editing area's accessible name */
  label?: string;
}

function extensions(o: CodeEditorOptions): Extension[] {
  return [
    keymap.of([...o.keys, indentWithTab]),
    basicSetup,
    autocompletion({ activateOnTyping: false }),
    indentUnit.of('    '),
    o.python ? python() : [],
    EditorView.lineWrapping,
    o.label === undefined ? [] : EditorView.contentAttributes.of({ 'aria-label': o.label }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.onChange(u.state.doc.toString());
    }),
  ];
}

/** A code editor on `doc`, appended to `parent`. */
export function createCodeEditor(parent: HTMLElement, doc: string, o: CodeEditorOptions): EditorView {
  return new EditorView({ state: EditorState.create({ doc, extensions: extensions(o) }), parent });
}

/**
 * Replaces the editor's text with a fresh state (another exercise's code): no undo back into the previous
 * text, and no onChange call.
 */
export function setCodeEditorText(view: EditorView, doc: string, o: CodeEditorOptions): void {
  view.setState(EditorState.create({ doc, extensions: extensions(o) }));
}
