// The browser lab: five views over the same TypeScript core as the CLI.

import { initExerciseView, showExerciseView } from './exercise-view.js';
import { initGraphView, redrawGraph } from './graph-view.js';
import { initNotebookView, showNotebookView } from './notebook-view.js';
import { initSampleView } from './sample-view.js';
import { initTrainView, redrawTrain } from './train-view.js';
import { $ } from './dom.js';

const VIEWS = ['graph', 'exercise', 'train', 'sample', 'notebook'] as const;
type View = (typeof VIEWS)[number];

function show(v: View, focus = false): void {
  for (const k of VIEWS) {
    const tab = $(`tab-${k}`);
    tab.setAttribute('aria-selected', String(k === v));
    tab.tabIndex = k === v ? 0 : -1;
    $(`view-${k}`).hidden = k !== v;
  }
  if (focus) $(`tab-${v}`).focus();
  if (v === 'graph') redrawGraph();
  if (v === 'train') redrawTrain();
  if (v === 'notebook') showNotebookView();
  if (v === 'exercise') showExerciseView();
  if (location.hash !== `#${v}`) history.replaceState(null, '', `#${v}`);
}

for (const k of VIEWS) {
  const tab = $(`tab-${k}`);
  tab.addEventListener('click', () => show(k));
  // arrow keys move between tabs (the WAI-ARIA tabs pattern)
  tab.addEventListener('keydown', (e) => {
    const i = VIEWS.indexOf(k);
    if (e.key === 'ArrowRight') show(VIEWS[(i + 1) % VIEWS.length], true);
    if (e.key === 'ArrowLeft') show(VIEWS[(i + VIEWS.length - 1) % VIEWS.length], true);
  });
}

initGraphView();
initExerciseView();
initTrainView();
initSampleView();
initNotebookView();
const start = location.hash.slice(1);
show((VIEWS as readonly string[]).includes(start) ? (start as View) : 'graph');
