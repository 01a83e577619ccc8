// Small DOM helpers and the state the views share: the embedded dataset and the current model.

import { buildDataset, parseNames, type Dataset } from '../src/core/reference/data.js';
import { embeddedNames, EMBEDDED_SOURCE } from '../src/core/reference/embedded.js';
import { initParams, type ModelConfig } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { calibrateBatchnorm } from '../src/core/run/infer.js';
import type { TrainedModel } from './protocol.js';

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing element #${id}`);
  return el as T;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

export function intInput(id: string, lo: number, hi: number, what: string): number {
  const v = Number($<HTMLInputElement>(id).value);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what} must be an integer in [${lo}, ${hi}], got ${$<HTMLInputElement>(id).value || 'nothing'}`);
  return v;
}

export function numInput(id: string, lo: number, what: string): number {
  const raw = $<HTMLInputElement>(id).value;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < lo) throw new RangeError(`${what} must be a number >= ${lo}, got ${raw || 'nothing'}`);
  return v;
}

let embedded: Dataset | null = null;

/** The embedded default names, split as the lecture does (built once). */
export function embeddedDataset(): Dataset {
  embedded ??= buildDataset(embeddedNames(), EMBEDDED_SOURCE);
  return embedded;
}

const files = new Map<string, string>();
const built = new Map<string, Dataset>();

/** Remembers the text of a names file a model was trained on, so its batches can be drawn later. */
export function rememberData(source: string, text: string): void {
  files.set(source, text);
  built.delete(source);
}

/** The data a model's batches come from: the embedded names when the vocabulary matches, else its file. */
export function datasetFor(m: TrainedModel): Dataset {
  const emb = embeddedDataset();
  if (emb.itos.join('') === m.itos.join('')) return emb;
  const text = files.get(m.source);
  if (text === undefined) {
    throw new Error(`this model's vocabulary (${m.itos.length} characters) differs from the embedded names'; train it on its names file in this page to inspect it here`);
  }
  let ds = built.get(m.source);
  if (ds === undefined) {
    ds = buildDataset(parseNames(text, m.source), m.source);
    built.set(m.source, ds);
  }
  return ds;
}

let current: TrainedModel | null = null;
const listeners: ((m: TrainedModel) => void)[] = [];

/** The model the Sample view draws from: the last trained or loaded one, else a fresh init (untrained). */
export function currentModel(): TrainedModel {
  if (current === null) {
    const ds = embeddedDataset();
    const cfg: ModelConfig = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: 64, blockSize: ds.blockSize };
    const params = initParams(cfg, 'float32', new MT19937(42));
    const bn = calibrateBatchnorm(params, cfg, ds.train);
    current = {
      cfg, itos: [...ds.itos], seed: 42, flat: params.flat as Float32Array, bnmean: Float64Array.from(bn.bnmean), bnvar: Float64Array.from(bn.bnvar),
      source: ds.source, trained: false,
    };
  }
  return current;
}

export function setCurrentModel(m: TrainedModel): void {
  current = m;
  for (const f of listeners) f(m);
}

export function onModel(f: (m: TrainedModel) => void): void {
  listeners.push(f);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
