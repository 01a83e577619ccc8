// Exercise mode: the 26 gradients in backward order, then the fused exercises 2 and 3, written in the
// lecture's Python in the Notebook tab's CodeMirror editor, then exercise 4 (web/exercise-train.ts). The code
// runs in a code runner (CPython with our torch, web/exercise-runner.ts); the page judges the answer's bytes
// against the autograd's gradient. Hints come in stages: the local derivative, the shapes, the line.
// Progress in localStorage: a solved exercise stays solved (a later failed attempt is only its last try),
// and each exercise's last verdict, with the answer's values, comes back after a reload.

import type { EditorView } from 'codemirror';
import { ATOL, RTOL } from '../src/core/judge/check.js';
import { EXERCISES, type Exercise, type ExerciseId } from '../src/core/lab/content.js';
import { judge, type Verdict, type VerdictKind } from '../src/core/lab/judge.js';
import { migrateProgressV1, migrateProgressV2, oldAnswerComment, type SavedProgress } from '../src/core/lab/progress.js';
import { exerciseScope, type Snapshot } from '../src/core/lab/runner.js';
import { shapeStr } from '../src/core/reference/block.js';
import type { Data } from '../src/core/torch/tensor.js';
import { lectureName } from '../src/core/reference/names.js';
import { createCodeEditor, setCodeEditorText, type CodeEditorOptions } from './code-editor.js';
import { heatmap, hoverValues } from './draw.js';
import { $, errorText, h } from './dom.js';
import { ExercisePool } from './exercise-runner.js';
import { initExercise4, showExercise4 } from './exercise-train.js';
import { currentSnapshot, onSnapshot } from './graph-view.js';
import './exercise.css';

/** v3: answers in the lecture's Python. v2 (the lecture's names, the old function syntax) and v1 (camelCase ids) are migrated on first load, and left in place. */
const STORE = 'backprop-ninja.lab.v3';
const STORE_V2 = 'backprop-ninja.lab.v2';
const STORE_V1 = 'backprop-ninja.lab.v1';

/** The list's last entry, after the 28 exercises. */
export const EX4 = 'ex4';
type Current = ExerciseId | typeof EX4;

/** The typed arrays an answer's values come in (src/core/torch/tensor.ts's Data), by a short name. */
const ARRAYS = { f4: Float32Array, f8: Float64Array, i4: Int32Array, i2: Int16Array, i1: Int8Array, u1: Uint8Array } as const;
type ArrayName = keyof typeof ARRAYS;

/** An answer's values, as the runner sent them (a typed array's bytes in base64). */
interface SavedAnswer {
  dtype: string;
  shape: number[];
  array: ArrayName;
  b64: string;
}

/** The last verdict of an exercise: shown again after a reload, re-judged (and mapped) on the same batch. */
interface LastVerdict {
  kind: VerdictKind;
  message: string;
  /** the batch it was judged on (batchKey) */
  batch: string;
  answer?: SavedAnswer;
}

interface Progress {
  current: Current;
  code: Partial<Record<ExerciseId, string>>;
  /** answers saved in the old function syntax, shown as a comment above the editor */
  old: Partial<Record<ExerciseId, string>>;
  /** the best verdict so far: once exact or approximate, an exercise stays solved */
  status: Partial<Record<ExerciseId, VerdictKind>>;
  /** the code of the last accepted answer (exercise 4 trains with these) */
  accepted: Partial<Record<ExerciseId, string>>;
  last: Partial<Record<ExerciseId, LastVerdict>>;
  hints: Partial<Record<ExerciseId, number>>;
}

export const isSolved = (k: VerdictKind | undefined): boolean => k === 'exact' || k === 'approximate';

function fresh(): Progress {
  return { current: EXERCISES[0].id, code: {}, old: {}, status: {}, accepted: {}, last: {}, hints: {} };
}

function load(): Progress {
  try {
    const raw = localStorage.getItem(STORE);
    let p: Partial<Progress>;
    if (raw !== null) {
      p = JSON.parse(raw) as Partial<Progress>;
    } else {
      const v2 = localStorage.getItem(STORE_V2);
      const v1 = v2 === null ? localStorage.getItem(STORE_V1) : null;
      if (v2 === null && v1 === null) return fresh();
      const older = v2 !== null ? JSON.parse(v2) as SavedProgress : migrateProgressV1(JSON.parse(v1 as string) as SavedProgress);
      p = migrateProgressV2(older) as Partial<Progress>;
    }
    const known = (c: unknown): c is Current => c === EX4 || EXERCISES.some((e) => e.id === c);
    return {
      current: known(p.current) ? p.current : EXERCISES[0].id,
      code: p.code ?? {}, old: p.old ?? {}, status: p.status ?? {}, accepted: p.accepted ?? {}, last: p.last ?? {}, hints: p.hints ?? {},
    };
  } catch {
    return fresh(); // unreadable or unavailable storage: start over, never fail the page
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

/** The accepted answers, by exercise (exercise 4 runs these). */
export function acceptedAnswers(): Partial<Record<ExerciseId, string>> {
  const out: Partial<Record<ExerciseId, string>> = {};
  for (const e of EXERCISES) if (isSolved(progress.status[e.id]) && progress.accepted[e.id] !== undefined) out[e.id] = progress.accepted[e.id];
  return out;
}

export const pool = new ExercisePool(new URL('pyodide/', document.baseURI).href, (st) => {
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
    if (progress.current === EX4) return;
    progress.code[progress.current] = text;
    save();
  },
};

const byId = (id: Current): Exercise => EXERCISES.find((e) => e.id === id) ?? EXERCISES[0];
const starter = (ex: Exercise): string => `${ex.variable} = `;

function renderList(): void {
  const solved = EXERCISES.filter((e) => isSolved(progress.status[e.id])).length;
  $('exercise-progress').textContent = `${solved} of ${EXERCISES.length} solved`;
  const list = $('exercise-list');
  const items = EXERCISES.map((ex, i) => {
    const st = progress.status[ex.id];
    const last = progress.last[ex.id]?.kind;
    const mark = isSolved(st) ? '✓' : st === undefined ? '' : '✗';
    const said = isSolved(st) ? (isSolved(last) || last === undefined ? 'solved' : `solved (last try: ${last})`) : st === undefined ? 'not tried' : `not solved (${st})`;
    const b = h('button', { class: st ?? '', 'aria-current': String(ex.id === progress.current), 'data-id': ex.id, title: said },
      h('span', {}, `${i + 1}. d${ex.id}`), h('span', { 'aria-label': said }, mark));
    b.addEventListener('click', () => open(ex.id));
    return h('li', {}, b);
  });
  const b4 = h('button', { class: `ex4-item${solved === EXERCISES.length ? ' ready' : ''}`, 'aria-current': String(progress.current === EX4), 'data-id': EX4 },
    h('span', {}, 'ex. 4: train'), h('span', { 'aria-label': solved === EXERCISES.length ? 'ready' : 'locked' }, solved === EXERCISES.length ? '▶' : ''));
  b4.addEventListener('click', () => open(EX4));
  list.replaceChildren(...items, h('li', {}, b4));
}

function renderHints(ex: Exercise): void {
  const level = progress.hints[ex.id] ?? 0;
  const { cfg } = currentSnapshot();
  const dims = `B = n = ${currentSnapshot().Y.length}, V = ${cfg.vocabSize}, H = ${cfg.nHidden}, T = ${cfg.blockSize}, E = ${cfg.nEmbd}`;
  const parts: HTMLElement[] = [];
  if (level >= 1) parts.push(h('p', { 'data-testid': 'hint-local' }, h('b', {}, '1. The local derivative: '), ex.local));
  if (level >= 2) parts.push(h('p', { 'data-testid': 'hint-shape' }, h('b', {}, '2. The shapes: '), ex.shape, h('span', { class: 'dims' }, ` (${dims})`)));
  if (level >= 3) parts.push(h('p', {}, h('b', {}, '3. The line (the lecture\'s):')), h('pre', { 'data-testid': 'exercise-solution' }, ex.solution));
  $('exercise-hints').replaceChildren(...parts);
  $('exercise-hint').textContent = ['Hint 1: the local derivative', 'Hint 2: the shapes', 'Hint 3: the line', 'All hints shown'][level];
  $<HTMLButtonElement>('exercise-hint').disabled = level >= 3;
}

function clearMaps(): void {
  $('exercise-maps').hidden = true;
}

/** A short fingerprint of a batch (its inputs, targets and parameters): a saved verdict is re-judged only on the same one. */
function batchKey(s: Snapshot): string {
  let x = 0x811c9dc5;
  const mix = (v: number): void => {
    x = Math.imul(x ^ v, 0x01000193) >>> 0;
  };
  for (const v of s.X) mix(v);
  for (const v of s.Y) mix(v);
  const bytes = new Uint8Array(s.params.flat.buffer, s.params.flat.byteOffset, s.params.flat.byteLength);
  for (const v of bytes) mix(v);
  return `${s.cfg.vocabSize}.${s.cfg.nEmbd}.${s.cfg.nHidden}.${s.cfg.blockSize}.${s.Y.length}.${x.toString(16)}`;
}

function encode(dtype: string, shape: number[], data: Data): SavedAnswer {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const array = (Object.keys(ARRAYS) as ArrayName[]).find((k) => data instanceof ARRAYS[k]) ?? 'f8';
  return { dtype, shape: [...shape], array, b64: btoa(bin) };
}

function decode(a: SavedAnswer): Data | null {
  try {
    const bin = atob(a.b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const Ctor = ARRAYS[a.array];
    if (Ctor === undefined || bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) return null;
    const out = new Ctor(bytes.buffer);
    return out.length === a.shape.reduce((p, d) => p * d, 1) ? out : null;
  } catch {
    return null;
  }
}

function open(id: Current): void {
  progress.current = id;
  save();
  const four = id === EX4;
  $('exercise-one').hidden = four;
  $('ex4').hidden = !four;
  renderList();
  if (four) {
    showExercise4();
    return;
  }
  const ex = byId(id);
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
  delete v.dataset.kind;
  $('exercise-kept').hidden = true;
  $('exercise-restore').hidden = true;
  clearMaps();
  renderHints(ex);
  restoreLast(ex, s);
}

/** The last verdict of this exercise, as saved: re-judged with its maps on the same batch, as text on another. */
function restoreLast(ex: Exercise, s: Snapshot): void {
  const last = progress.last[ex.id];
  if (last === undefined) return;
  const data = last.answer === undefined ? null : decode(last.answer);
  if (last.answer !== undefined && data !== null && last.batch === batchKey(s)) {
    const v = judge(ex.id, { dtype: last.answer.dtype, shape: last.answer.shape, data: Float64Array.from(data) }, s.ref[ex.target]);
    showVerdict(ex, v, { shape: last.answer.shape, data }, ' (your last check, from before the reload)');
  } else {
    showVerdict(ex, { kind: last.kind, message: last.message, maxdiff: NaN, row: null, error: null }, null,
      last.batch === batchKey(s) ? ' (your last check)' : ' (your last check, on another batch: check again to see it on this one)');
  }
}

const LABEL: Record<VerdictKind, string> = { exact: 'Exact', approximate: 'Approximate', wrong: 'Wrong', shape: 'Wrong shape', error: 'Error' };

/** Shows a verdict, and, with the answer's values, yours beside the autograd's and where they differ. */
function showVerdict(ex: Exercise, v: Verdict, answer: { shape: readonly number[]; data: ArrayLike<number> } | null, note = ''): void {
  const solvedBefore = isSolved(progress.status[ex.id]) && !isSolved(v.kind);
  setVerdictText(v.kind, `${LABEL[v.kind]}: ${v.message}${note}`);
  // a later try does not unsolve an exercise: it is only its last try
  $('exercise-kept').hidden = !solvedBefore;
  $('exercise-restore').hidden = !solvedBefore || progress.accepted[ex.id] === undefined;
  const ref = currentSnapshot().ref[ex.target];
  if (answer === null || v.kind === 'error') {
    clearMaps();
    return;
  }
  $('exercise-maps').hidden = false;
  // yours and the autograd's on one colour scale (the autograd's largest |value|), so they compare by eye
  let scale = 0;
  for (let i = 0; i < ref.data.length; i++) scale = Math.max(scale, Math.abs(ref.data[i]));
  const mapOf = (id: string, capId: string, shape: readonly number[], data: ArrayLike<number>, caption: string, sequential = false): void => {
    const c = $<HTMLCanvasElement>(id);
    const g = heatmap(c, shape, data, sequential ? { sequential: true } : { scale });
    const text = `${caption}: min ${g.min.toPrecision(3)}, max ${g.max.toPrecision(3)}`;
    const cap = $(capId);
    cap.textContent = text;
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', `heatmap: ${text}`);
    hoverValues(c, shape, data, cap);
  };
  mapOf('exercise-yours', 'exercise-yours-cap', answer.shape, answer.data, `yours, ${shapeStr(answer.shape)}`);
  mapOf('exercise-ref', 'exercise-ref-cap', ref.shape, ref.data, `the autograd's, ${shapeStr(ref.shape)}`);
  const errFig = $('exercise-error-fig');
  const err = v.error;
  if (err === null || v.kind === 'exact' || v.kind === 'approximate') {
    errFig.hidden = true;
    return;
  }
  errFig.hidden = false;
  // only differences beyond allclose's tolerance are drawn: float rounding stays white
  let bad = 0;
  const shown = err.map((e, i) => {
    const out = e <= ATOL + RTOL * Math.abs(ref.data[i]) ? 0 : e;
    if (out !== 0) bad++;
    return out;
  });
  mapOf('exercise-error', 'exercise-error-cap', ref.shape, shown, '|yours - autograd|', true);
  $('exercise-error-cap').textContent = v.kind === 'shape'
    ? `Wrong shape: compared in order, ${bad === 0 ? `all ${err.length} values agree; the shape is what is wrong` : `${bad} of ${err.length} values differ (white = right)`}`
    : `where it is wrong: |yours - autograd| beyond tolerance, ${bad} of ${err.length} values (white = right)`;
}

/** Milliseconds from Check to the verdict shown, for the last submission (read by the tests). */
export let lastVerdictMs = 0;

async function submit(): Promise<void> {
  if (progress.current === EX4) return;
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
  let answer: { dtype: string; shape: number[]; data: Data } | null = null;
  try {
    const scope = exerciseScope(ex, s);
    const res = await pool.run({ code, variable: ex.variable, tensors: scope.tensors, ints: scope.ints }, scope.grads);
    const o = res.outcome;
    // the verdict: computed here, from the answer's copied values, against the autograd's gradient
    if (o.ok) answer = { dtype: o.dtype, shape: o.shape, data: o.data };
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
    showVerdict(ex, { ...v, message: v.message + note }, answer);
    // the best verdict stays: a solved exercise is not unsolved by a later try, which is only its last one
    if (!isSolved(progress.status[ex.id]) || isSolved(v.kind)) progress.status[ex.id] = v.kind;
    if (isSolved(v.kind)) progress.accepted[ex.id] = code;
    progress.last[ex.id] = {
      kind: v.kind, message: v.message + note, batch: batchKey(s),
      answer: answer === null ? undefined : encode(answer.dtype, answer.shape, answer.data),
    };
    save();
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
  // keyboard users reach the editor without tabbing through the 28 exercises
  $('exercise-skip').addEventListener('click', (e) => {
    e.preventDefault();
    if (progress.current === EX4) $('ex4-train').focus();
    else editor.focus();
  });
  $('exercise-hint').addEventListener('click', () => {
    if (progress.current === EX4) return;
    progress.hints[progress.current] = Math.min(3, (progress.hints[progress.current] ?? 0) + 1);
    save();
    renderHints(byId(progress.current));
  });
  $('exercise-next').addEventListener('click', () => {
    const i = EXERCISES.findIndex((e) => e.id === progress.current);
    open(i + 1 < EXERCISES.length ? EXERCISES[i + 1].id : EX4);
  });
  $('exercise-restore').addEventListener('click', () => {
    if (progress.current === EX4) return;
    const code = progress.accepted[progress.current];
    if (code === undefined) return;
    setCodeEditorText(editor, code, editorOptions);
    progress.code[progress.current] = code;
    save();
    editor.focus();
  });
  $('exercise-reset').addEventListener('click', () => {
    if (!confirm('Forget all code, verdicts and hints?')) return;
    progress = fresh();
    save();
    open(progress.current);
  });
  initExercise4({ answers: acceptedAnswers, pool, onChange: renderList });
  onSnapshot(() => open(progress.current));
  open(progress.current);
}

/** Starts the Python runner (seconds the first time): called when the Exercises tab is first shown. */
export function showExerciseView(): void {
  void pool.warm().catch(() => undefined);
}
