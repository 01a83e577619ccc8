// Train view: data (embedded or a dropped file), H, steps, lr; training in a Worker with a live loss curve,
// steps/s, the tanh histogram and the update:data ratios; pause/resume/stop; split losses and samples at
// the end; download the checkpoint as safetensors (the CLI's format) or load one.

import { decodeCheckpoint, encodeCheckpoint } from '../src/core/run/checkpoint.js';
import { parseNames } from '../src/core/reference/data.js';
import { PARAM_NAMES, allocParams, type ParamName } from '../src/core/reference/model.js';
import { stTensor } from '../src/core/run/safetensors.js';
import { calibrateBatchnorm } from '../src/core/run/infer.js';
import { bars, histogram, lineChart } from './draw.js';
import { $, embeddedDataset, errorText, intInput, numInput, rememberData, setCurrentModel } from './dom.js';
import type { Progress, TrainRequest, TrainResponse, TrainedModel } from './protocol.js';

let worker: Worker | null = null;
let data: { text: string | null; source: string } = { text: null, source: 'embedded default names' };
let points: [number, number][] = [];
let last: Progress | null = null;
let model: TrainedModel | null = null;
let running = false;
let paused = false;

function send(m: TrainRequest): void {
  worker?.postMessage(m);
}

function setRunning(on: boolean): void {
  running = on;
  paused = false;
  $<HTMLButtonElement>('train-start').disabled = on;
  $<HTMLButtonElement>('train-pause').disabled = !on;
  $<HTMLButtonElement>('train-stop').disabled = !on;
  $('train-pause').textContent = 'Pause';
}

function showError(msg: string): void {
  $('train-error').textContent = msg;
}

function drawCharts(): void {
  lineChart($<HTMLCanvasElement>('train-curve'), points, last?.steps ?? 1);
  if (last === null) return;
  histogram($<HTMLCanvasElement>('train-hist'), last.hist);
  bars($<HTMLCanvasElement>('train-ud'), PARAM_NAMES.map((k): [string, number] => [k, last?.ud[k as ParamName] ?? NaN]), -6, 0, -3);
}

function onMessage(e: MessageEvent<TrainResponse>): void {
  const m = e.data;
  if (m.type === 'ready') {
    $('train-data').textContent = `${m.info.source}: ${m.info.names} names, vocab "${m.info.vocab}" (${m.info.vocab.length}), split ${m.info.split.join(' / ')} rows`;
  } else if (m.type === 'progress') {
    last = m;
    points.push(...m.points);
    $('train-steps').textContent = String(m.step);
    if (points.length > 0) {
      const lossEl = $('train-loss');
      lossEl.textContent = Math.pow(10, points[points.length - 1][1]).toFixed(4);
      lossEl.dataset.first = Math.pow(10, points[0][1]).toFixed(4);
    }
    $('train-rate').textContent = m.stepsPerSec.toFixed(0);
    $('train-sat').textContent = `${(m.saturated * 100).toFixed(1)}%`;
    drawCharts();
  } else if (m.type === 'done') {
    setRunning(false);
    model = m.model;
    setCurrentModel(m.model);
    $<HTMLButtonElement>('train-download').disabled = false;
    $('train-result').textContent =
      `${m.step} steps in ${m.elapsed.toFixed(1)} s. batchnorm calibrated on the training split.\n` +
      `split losses: train ${m.losses.train.toFixed(4)}  val ${m.losses.val.toFixed(4)}\n` +
      `samples: ${m.samples.join(', ')}`;
  } else {
    setRunning(false);
    showError(m.message);
  }
}

function start(): void {
  showError('');
  let opts;
  try {
    opts = {
      ...data,
      nHidden: intInput('train-h', 1, 1024, 'H'),
      nEmbd: intInput('train-e', 1, 64, 'E'),
      batchSize: intInput('train-batch', 2, 1024, 'batch'),
      steps: intInput('train-steps-input', 1, 10_000_000, 'steps'),
      lr: numInput('train-lr', 0, 'lr'),
      lrLate: numInput('train-lr2', 0, 'lr for the second half'),
      seed: intInput('train-seed', 0, 2 ** 32 - 1, 'seed'),
    };
  } catch (e) {
    showError(errorText(e));
    return;
  }
  worker ??= new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = onMessage;
  worker.onerror = (e) => {
    e.preventDefault();
    setRunning(false);
    showError(`training failed: ${e.message}`);
  };
  points = [];
  last = null;
  $('train-result').textContent = '';
  $('train-steps').textContent = '0';
  $('train-loss').textContent = '-';
  if (opts.text !== null) rememberData(opts.source, opts.text);
  setRunning(true);
  send({ type: 'start', opts });
}

/** Reads a dropped or chosen names file; a file that is not usable gets one clear line in the page. */
async function useFile(f: File): Promise<void> {
  showError('');
  try {
    if (f.size > 50 * 1024 * 1024) throw new Error(`${f.name}: ${(f.size / 1e6).toFixed(0)} MB is too large for a names file`);
    const bytes = new Uint8Array(await f.arrayBuffer());
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new Error(`${f.name}: not a UTF-8 text file; give a .txt with one name a line`);
    }
    if (text.includes('\u0000')) throw new Error(`${f.name}: a binary file, not text; give a .txt with one name a line`);
    const words = parseNames(text, f.name);
    const chars = new Set(words.join(''));
    if (chars.size > 200) throw new Error(`${f.name}: ${chars.size} distinct characters; this does not look like a names file`);
    data = { text, source: f.name };
    $('train-data').textContent = `${f.name}: ${words.length} names, ${chars.size} distinct characters`;
  } catch (e) {
    showError(errorText(e));
  }
}

function download(): void {
  if (model === null) return;
  const params = allocParams(model.cfg, 'float32');
  params.flat.set(model.flat);
  const bytes = encodeCheckpoint(params, model.cfg, model.itos, model.seed, {
    bnmean: stTensor([1, model.cfg.nHidden], Float32Array.from(model.bnmean)),
    bnvar: stTensor([1, model.cfg.nHidden], Float32Array.from(model.bnvar)),
  });
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `backprop-ninja-H${model.cfg.nHidden}.safetensors`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function loadCheckpoint(f: File): Promise<void> {
  showError('');
  try {
    const ck = decodeCheckpoint(new Uint8Array(await f.arrayBuffer()), f.name);
    const H = ck.cfg.nHidden;
    const mean = ck.extra.get('bnmean');
    const vr = ck.extra.get('bnvar');
    let bnmean: Float64Array;
    let bnvar: Float64Array;
    if (mean !== undefined && vr !== undefined && mean.data.length === H && vr.data.length === H) {
      bnmean = Float64Array.from(mean.data);
      bnvar = Float64Array.from(vr.data);
    } else {
      const ds = embeddedDataset();
      if (ds.itos.join('') !== ck.itos.join('')) {
        throw new Error(`${f.name}: no bnmean/bnvar in the file, and its vocabulary differs from the embedded names, so batchnorm cannot be calibrated here`);
      }
      const bn = calibrateBatchnorm(ck.params, ck.cfg, ds.train);
      bnmean = Float64Array.from(bn.bnmean);
      bnvar = Float64Array.from(bn.bnvar);
    }
    model = {
      cfg: ck.cfg, itos: ck.itos, seed: ck.seed, flat: Float32Array.from(ck.params.flat), bnmean, bnvar,
      source: f.name, trained: true,
    };
    setCurrentModel(model);
    $<HTMLButtonElement>('train-download').disabled = false;
    $('train-result').textContent = `loaded ${f.name}: E=${ck.cfg.nEmbd} T=${ck.cfg.blockSize} H=${H} V=${ck.cfg.vocabSize}; the Sample view now uses it`;
  } catch (e) {
    showError(errorText(e));
  }
}

export function initTrainView(): void {
  $('train-start').addEventListener('click', start);
  $('train-pause').addEventListener('click', () => {
    if (!running) return;
    paused = !paused;
    send({ type: paused ? 'pause' : 'resume' });
    $('train-pause').textContent = paused ? 'Resume' : 'Pause';
  });
  $('train-stop').addEventListener('click', () => send({ type: 'stop' }));
  $('train-download').addEventListener('click', download);
  const drop = $('train-drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) void useFile(f);
  });
  $<HTMLInputElement>('train-file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f !== undefined) void useFile(f);
  });
  $('train-embedded').addEventListener('click', () => {
    data = { text: null, source: 'embedded default names' };
    showError('');
    $('train-data').textContent = `embedded default: ${embeddedDataset().words.length} English first names`;
  });
  $<HTMLInputElement>('train-load').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f !== undefined) void loadCheckpoint(f);
  });
  $('train-data').textContent = `embedded default: ${embeddedDataset().words.length} English first names`;
  drawCharts();
}

export function redrawTrain(): void {
  drawCharts();
}
