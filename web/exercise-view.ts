// Exercise mode: the 26 gradients in backward order, then the fused exercises 2 and 3, written in the
// lecture's Python, in the Notebook tab's CodeMirror editor. The code runs in a module worker (CPython with our torch, web/exercise-runner.ts); the
// page judges the answer's bytes against the autograd's gradient. Progress in localStorage.

import type { EditorView } from 'codemirror';
import { ATOL, RTOL } from '../src/core/judge/check.js';
import { EXERCISES, type Exercise, type ExerciseId } from '../src/core/lab/content.js';
import { judge, type Verdict, type VerdictKind } from '../src/core/lab/judge.js';
import { migrateProgressV1, migrateProgressV2, oldAnswerComment, type SavedProgress } from '../src/core/lab/progress.js';
import { exerciseScope } from '../src/core/lab/runner.js';
import { shapeStr } from '../src/core/reference/block.js';
import { lectureName } from '../src/core/reference/names.js';
import { createCodeEditor, setCodeEditorText, type CodeEditorOptions } from './code-editor.js';
import { heatmap } from './draw.js';
import { $, errorText, h } from './dom.js';
import { ExercisePool } from './exercise-runner.js';
import { currentSnapshot, onSnapshot } from './graph-view.js';

/** v3: answers in the lecture's Python. v2 (the lecture's names, the old function syntax) and v1 (camelCase ids) are migrated on first load, and left in place. */
const STORE = 'backprop-ninja.lab.v3';
const STORE_V2 = 'backprop-ninja.lab.v2';
const STORE_V1 = 'backprop-ninja.lab.v1';

interface Progress {
  current: ExerciseId;
  code: Partial<Record<ExerciseId, string>>;
  /** answers saved in the old function syntax, shown as a comment above the editor */
  old: Partial<Record<ExerciseId, string>>;
  status: Partial<Record<ExerciseId, VerdictKind>>;
  hints: Partial<Record<ExerciseId, number>>;
}

function load(): Progress {
  const fresh: Progress = { current: EXERCISES[0].id, code: {}, old: {}, status: {}, hints: {} };
  try {
    const raw = localStorage.getItem(STORE);
    let p: Partial<Progress>;
    if (raw !== null) {
      p = JSON.parse(raw) as Partial<Progress>;
    } else {
      const v2 = localStorage.getItem(STORE_V2);
      const v1 = v2 === null ? localStorage.getItem(STORE_V1) : null;
      if (v2 === null && v1 === null) return fresh;
      const older = v2 !== null ? JSON.parse(v2) as SavedProgress : migrateProgressV1(JSON.parse(v1 as string) as SavedProgress);
      p = migrateProgressV2(older) as Partial<Progress>;
    }
    return {
      current: EXERCISES.some((e) => e.id === p.current) ? (p.current as ExerciseId) : fresh.current,
      code: p.code ?? {}, old: p.old ?? {}, status: p.status ?? {}, hints: p.hints ?? {},
    };
  } catch {
    return fresh; // unreadable or unavailable storage: start over, never fail the page
  }
}

let progress = load();

function save(): void {
  try {
    localStorage.setItem(STORE, JSON.stringify(progress));
  } catch {
    // private mode or full storage: progress lives for this visit only
  }
}

const pool = new ExercisePool(new URL('pyodide/', document.baseURI).href, (st) => {
  if (st !== '') setVerdictText('running', st);
}, (ready) => {
  $('exercise-progress').dataset.spare = ready ? 'ready' : 'loading';
});

function setVerdictText(kind: string, text: string): void {
  const el = $('exercise-verdict');
  el.className = `verdict ${kind}`;
  el.dataset.kind = kind;
  el.textContent = text;
}

/** The answer's editor (CodeMirror 6, the notebook's configuration), made by initExerciseView. */
let editor: EditorView;
const editorOptions: CodeEditorOptions = {
  python: true,
  label: 'your code',
  // Shift+Enter or Ctrl+Enter checks the answer, as they run a cell in the Notebook tab
  keys: [
    { key: 'Shift-Enter', run: () => (void submit(), true) },
    { key: 'Mod-Enter', run: () => (void submit(), true) },
  ],
  onChange: (text) => {
    progress.code[progress.current] = text;
    save();
  },
};

const byId = (id: ExerciseId): Exercise => EXERCISES.find((e) => e.id === id) ?? EXERCISES[0];
const starter = (ex: Exercise): string => `${ex.variable} = `;

function renderList(): void {
  const solved = EXERCISES.filter((e) => ['exact', 'approximate'].includes(progress.status[e.id] ?? '')).length;
  $('exercise-progress').textContent = `${solved} of ${EXERCISES.length} solved, on this page's batch`;
  const list = $('exercise-list');
  list.replaceChildren(...EXERCISES.map((ex, i) => {
    const st = progress.status[ex.id];
    const mark = st === 'exact' || st === 'approximate' ? '✓' : st === undefined ? '' : '✗';
    const b = h('button', { class: st ?? '', 'aria-current': String(ex.id === progress.current), 'data-id': ex.id },
      h('span', {}, `${i + 1}. d${ex.id}`), h('span', { 'aria-label': st ?? 'not tried' }, mark));
    b.addEventListener('click', () => open(ex.id));
    return h('li', {}, b);
  }));
}

function renderHints(ex: Exercise): void {
  const level = progress.hints[ex.id] ?? 0;
  const parts: HTMLElement[] = [];
  if (level >= 1) parts.push(h('p', {}, h('b', {}, 'Local derivative: '), ex.local));
  if (level >= 2) parts.push(h('p', {}, h('b', {}, 'Chain rule: '), h('code', {}, ex.chain)));
  if (level >= 3) parts.push(h('p', {}, h('b', {}, 'Solution (the lecture\'s line):')), h('pre', { 'data-testid': 'exercise-solution' }, ex.solution));
  $('exercise-hints').replaceChildren(...parts);
  $('exercise-hint').textContent = ['Hint: local derivative', 'Hint: chain-rule step', 'Show the solution', 'Solution shown'][level];
  $<HTMLButtonElement>('exercise-hint').disabled = level >= 3;
}

function clearMaps(): void {
  $('exercise-maps').hidden = true;
}

function open(id: ExerciseId): void {
  const ex = byId(id);
  progress.current = ex.id;
  save();
  const s = currentSnapshot();
  $('exercise-title').textContent = `${ex.variable}  ${shapeStr(s.ref[ex.target].shape)}`;
  $('exercise-forward').textContent = ex.forward;
  const gv = ex.given.map((k) => `d${lectureName(k)}`);
  const given = gv.length === 0 ? 'no gradients' : gv.length > 6
    ? `${gv.slice(-6).join(', ')} (and the ${gv.length - 6} before)` : gv.join(', ');
  $('exercise-given').textContent = `torch, F, the forward's tensors and the parameters (detached copies, in the lecture's names), Xb, Yb, n, and ${given}`;
  setCodeEditorText(editor, progress.code[ex.id] ?? starter(ex), editorOptions);
  const old = progress.old[ex.id];
  const oldEl = $('exercise-old');
  oldEl.hidden = old === undefined;
  oldEl.textContent = old === undefined ? '' : oldAnswerComment(old);
  $('exercise-output').hidden = true;
  const v = $('exercise-verdict');
  v.textContent = '';
  v.className = 'verdict';
  clearMaps();
  renderHints(ex);
  renderList();
}

function showVerdict(ex: Exercise, v: Verdict): void {
  const el = $('exercise-verdict');
  el.className = `verdict ${v.kind}`;
  el.dataset.kind = v.kind;
  const label = { exact: 'Exact', approximate: 'Approximate', wrong: 'Wrong', shape: 'Wrong shape', error: 'Error' }[v.kind];
  el.textContent = `${label}: ${v.message}`;
  const ref = currentSnapshot().ref[ex.target];
  if (v.error !== null) {
    $('exercise-maps').hidden = false;
    heatmap($<HTMLCanvasElement>('exercise-ref'), ref.shape, ref.data);
    // only differences beyond allclose's tolerance are drawn: float rounding stays white
    const err = v.error;
    let bad = 0;
    const shown = err.map((e, i) => {
      const out = e <= ATOL + RTOL * Math.abs(ref.data[i]) ? 0 : e;
      if (out !== 0) bad++;
      return out;
    });
    heatmap($<HTMLCanvasElement>('exercise-error'), ref.shape, shown, true);
    $('exercise-error-cap').textContent =
      `where it is wrong: |yours - autograd| beyond tolerance; ${bad} of ${err.length} values (white = right)`;
  } else {
    clearMaps();
  }
}

/** Milliseconds from Check to the verdict shown, for the last submission (read by the tests). */
export let lastVerdictMs = 0;

async function submit(): Promise<void> {
  const ex = byId(progress.current);
  const code = editor.state.doc.toString();
  progress.code[ex.id] = code;
  save();
  const t0 = performance.now();
  setVerdictText('running', 'running…');
  const s = currentSnapshot();
  const ref = s.ref[ex.target];
  let v: Verdict;
  let note = '';
  let printed = '';
  try {
    const scope = exerciseScope(ex, s);
    const res = await pool.run({ code, variable: ex.variable, tensors: scope.tensors, ints: scope.ints }, scope.grads);
    const o = res.outcome;
    // the verdict: computed here, from the answer's copied values, against the autograd's gradient
    v = o.ok
      ? judge(ex.id, { dtype: o.dtype, shape: o.shape, data: Float64Array.from(o.data) }, ref)
      : { kind: 'error', message: o.error, maxdiff: NaN, row: null, error: null };
    if (res.replaced !== undefined) note = ` (${res.replaced})`;
    printed = res.stdout ?? '';
  } catch (e) {
    v = { kind: 'error', message: errorText(e), maxdiff: NaN, row: null, error: null };
  }
  // a different exercise or batch while it ran: this verdict is for the one it was run on
  if (progress.current === ex.id && currentSnapshot() === s) {
    progress.status[ex.id] = v.kind;
    save();
    showVerdict(ex, { ...v, message: v.message + note });
    const out = $('exercise-output');
    out.textContent = printed;
    out.hidden = printed === '';
    renderList();
  }
  lastVerdictMs = performance.now() - t0;
  const el = $('exercise-verdict');
  el.dataset.ms = lastVerdictMs.toFixed(1);
  // Python's start times so far (ms, 's' when restored from the snapshot), for the tests' measurements
  el.dataset.loads = pool.loads.map((l) => `${l.ms.toFixed(0)}${l.fromSnapshot ? 's' : ''}`).join(',');
}

export function initExerciseView(): void {
  $('exercise-submit').addEventListener('click', () => void submit());
  editor = createCodeEditor($('exercise-editor'), '', editorOptions);
  $('exercise-hint').addEventListener('click', () => {
    progress.hints[progress.current] = Math.min(3, (progress.hints[progress.current] ?? 0) + 1);
    save();
    renderHints(byId(progress.current));
  });
  $('exercise-next').addEventListener('click', () => {
    const i = EXERCISES.findIndex((e) => e.id === progress.current);
    open(EXERCISES[(i + 1) % EXERCISES.length].id);
  });
  $('exercise-reset').addEventListener('click', () => {
    if (!confirm('Forget all code, verdicts and hints?')) return;
    progress = { current: EXERCISES[0].id, code: {}, old: {}, status: {}, hints: {} };
    save();
    open(progress.current);
  });
  onSnapshot(() => open(progress.current));
  open(progress.current);
}

/** Starts the Python runner (seconds the first time): called when the Exercises tab is first shown. */
export function showExerciseView(): void {
  void pool.warm().catch(() => undefined);
}
