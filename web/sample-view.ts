// Sample view: names from the current model (trained, loaded, or a fresh init), with seed, temperature, top-k.

import { allocParams } from '../src/core/model.js';
import { sampleNames } from '../src/core/sample.js';
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
    const names = sampleNames(params, m.cfg, { mean: m.bnmean, var: m.bnvar }, m.itos, {
      count: intInput('sample-count', 1, 200, 'count'),
      seed: intInput('sample-seed', 0, 2 ** 53 - 1, 'seed'),
      temperature: numInput('sample-temp', 0.01, 'temperature'),
      topK: intInput('sample-topk', 0, m.cfg.vocabSize, 'top-k'),
    });
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
