// Exercise mode: the 26 gradients in backward order, then the fused exercises 2 and 3. The learner's code
// runs in a Worker with a time limit; the verdict compares it with the autograd. Progress in localStorage.

import { ATOL, RTOL } from '../src/core/judge/check.js';
import { EXERCISES, exerciseScope, judge, migrateProgressV1, type Exercise, type SavedProgress, type ExerciseId, type Verdict, type VerdictKind } from '../src/core/lab/exercises.js';
import { shapeStr } from '../src/core/reference/block.js';
import { lectureName } from '../src/core/reference/names.js';
import { heatmap } from './draw.js';
import { $, errorText, h } from './dom.js';
import { currentSnapshot, onSnapshot } from './graph-view.js';
import type { ExerciseRequest, ExerciseResponse } from './protocol.js';

/** v2: ids in the lecture's names (counts_sum_inv). v1 (camelCase ids) is migrated on first load, and left in place. */
const STORE = 'backprop-ninja.lab.v2';
const STORE_V1 = 'backprop-ninja.lab.v1';
/** How long learner code may run before its worker is terminated. */
export const TIME_LIMIT_MS = 3000;

interface Progress {
  current: ExerciseId;
  code: Partial<Record<ExerciseId, string>>;
  status: Partial<Record<ExerciseId, VerdictKind>>;
  hints: Partial<Record<ExerciseId, number>>;
}

function load(): Progress {
  const fresh: Progress = { current: EXERCISES[0].id, code: {}, status: {}, hints: {} };
  try {
    const raw = localStorage.getItem(STORE);
    const v1 = raw === null ? localStorage.getItem(STORE_V1) : null;
    if (raw === null && v1 === null) return fresh;
    const p = (raw !== null ? JSON.parse(raw) : migrateProgressV1(JSON.parse(v1 as string) as SavedProgress)) as Partial<Progress>;
    return {
      current: EXERCISES.some((e) => e.id === p.current) ? (p.current as ExerciseId) : fresh.current,
      code: p.code ?? {}, status: p.status ?? {}, hints: p.hints ?? {},
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

/** Runs code in a worker; a run past the time limit terminates the worker (a fresh one serves the next). */
class CodeRunner {
  private worker: Worker | null = null;
  private nextId = 1;

  private spawn(): Worker {
    this.worker ??= new Worker(new URL('./exercise.worker.ts', import.meta.url), { type: 'module' });
    return this.worker;
  }

  run(req: Omit<ExerciseRequest, 'id'>): Promise<ExerciseResponse> {
    const w = this.spawn();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        w.terminate();
        this.worker = null;
        resolve({ id, ok: false, error: `time limit: your code ran for more than ${TIME_LIMIT_MS / 1000} s and was stopped (an infinite loop?)` });
      }, TIME_LIMIT_MS);
      const done = (): void => {
        clearTimeout(timer);
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
      };
      const onMessage = (e: MessageEvent<ExerciseResponse>): void => {
        if (e.data.id !== id) return;
        done();
        resolve(e.data);
      };
      const onError = (e: ErrorEvent): void => {
        done();
        e.preventDefault();
        w.terminate();
        this.worker = null;
        resolve({ id, ok: false, error: `the code runner failed: ${e.message}` });
      };
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      w.postMessage({ ...req, id });
    });
  }
}

const runner = new CodeRunner();

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
  if (level >= 3) parts.push(h('p', {}, h('b', {}, 'Solution:')), h('pre', {}, ex.solution));
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
  $('exercise-given').textContent = `the forward tensors, the parameters, Xb, Yb, n, B, T, E, H, V, and ${given}`;
  $<HTMLTextAreaElement>('exercise-editor').value = progress.code[ex.id] ?? starter(ex);
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

async function submit(): Promise<void> {
  const ex = byId(progress.current);
  const code = $<HTMLTextAreaElement>('exercise-editor').value;
  progress.code[ex.id] = code;
  save();
  const el = $('exercise-verdict');
  el.className = 'verdict running';
  el.dataset.kind = 'running';
  el.textContent = 'running…';
  const s = currentSnapshot();
  let v: Verdict;
  try {
    const res = await runner.run({ code, variable: ex.variable, scope: exerciseScope(ex, s) });
    v = res.ok ? judge(ex.id, res.result, s.ref[ex.target]) : { kind: 'error', message: res.error, maxdiff: NaN, row: null, error: null };
  } catch (e) {
    v = { kind: 'error', message: errorText(e), maxdiff: NaN, row: null, error: null };
  }
  progress.status[ex.id] = v.kind;
  save();
  showVerdict(ex, v);
  renderList();
}

export function initExerciseView(): void {
  $('exercise-submit').addEventListener('click', () => void submit());
  $('exercise-editor').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
  });
  $('exercise-editor').addEventListener('input', () => {
    progress.code[progress.current] = $<HTMLTextAreaElement>('exercise-editor').value;
    save();
  });
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
    progress = { current: EXERCISES[0].id, code: {}, status: {}, hints: {} };
    save();
    open(progress.current);
  });
  onSnapshot(() => open(progress.current));
  open(progress.current);
}
