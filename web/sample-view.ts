// Sample view: names from the current model (trained, loaded, or a fresh init), with seed, temperature, top-k.

import { allocParams } from '../src/core/reference/model.js';
import { Inference, sampleNames } from '../src/core/run/infer.js';
import { MT19937 } from '../src/core/random/python.js';
import { $, currentModel, errorText, h, intInput, numInput, onModel } from './dom.js';

function describe(): void {
  const m = currentModel();
  $('sample-model').textContent = `model: ${m.trained ? 'trained' : 'untrained (random init; train one first)'}, ` +
    `E=${m.cfg.nEmbd} T=${m.cfg.blockSize} H=${m.cfg.nHidden} V=${m.cfg.vocabSize}, data: ${m.source}`;
}

function sample(): void {
  $('sample-error').textContent = '';
  try {
    const m = currentModel();
    const params = allocParams(m.cfg, 'float32');
    params.flat.set(m.flat);
    const count = intInput('sample-count', 1, 200, 'count');
    const rng = new MT19937(intInput('sample-seed', 0, 2 ** 53 - 1, 'seed'));
    const temperature = numInput('sample-temp', 0.01, 'temperature');
    const topK = intInput('sample-topk', 0, m.cfg.vocabSize, 'top-k'); // 0: all
    const model = new Inference(params, m.cfg, { bnmean: m.bnmean, bnvar: m.bnvar }, 1);
    const names = sampleNames(model, m.itos, rng, count, { temperature, topK: topK === 0 ? undefined : topK });
    $('sample-output').replaceChildren(...names.map((n) => h('li', {}, n === '' ? '(empty)' : n)));
  } catch (e) {
    $('sample-error').textContent = errorText(e);
  }
}

export function initSampleView(): void {
  $('sample-button').addEventListener('click', sample);
  onModel(describe);
  describe();
}
