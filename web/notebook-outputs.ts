// A code cell's outputs in the Notebook tab: checked one by one when a notebook is read (a malformed entry in
// a saved .ipynb becomes one line saying so, and the cell's other outputs show: never the whole notebook
// lost), and drawn as Jupyter draws them: streams as a terminal shows them, tracebacks without their colour
// codes, `Out[n]:` before an execute_result, figures as images.
//
// Outputs are text (textContent) and figures <img src="data:image/svg+xml,..."> (an SVG in an <img> runs no
// script and loads nothing): no markup from a notebook or a kernel is ever parsed into this page.

import { joinSource, type MultilineString, type Output } from '../src/notebook/nbformat.js';
import { h } from './dom.js';

/** Where the lab marks an output that stands in for a malformed one (in its metadata). */
const INVALID = 'backprop_ninja_invalid';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMultiline = (v: unknown): v is MultilineString =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** The stand-in for an output that cannot be shown: a display_data whose text says what was wrong. */
export function invalidOutput(why: string): Output {
  return { output_type: 'display_data', data: { 'text/plain': `[an output that could not be shown: ${why}]` }, metadata: { [INVALID]: true } };
}

/** A mime bundle's values: text as nbformat's multiline strings; JSON types (widgets) may hold objects. */
function checkBundle(data: unknown): string | null {
  if (!isObject(data)) return '"data" is not an object';
  for (const [mime, v] of Object.entries(data)) {
    if (!isMultiline(v) && !(/json$/.test(mime) && isObject(v))) return `its "${mime}" is not text`;
  }
  return null;
}

/** One output of a saved notebook as the lab can show it: itself when well formed, else a stand-in. */
export function checkOutput(o: unknown): Output {
  if (!isObject(o)) return invalidOutput(`not an object (${o === null ? 'null' : typeof o})`);
  const kind = o.output_type;
  const meta = isObject(o.metadata) ? o.metadata : {};
  switch (kind) {
    case 'stream':
      if (o.name !== 'stdout' && o.name !== 'stderr') return invalidOutput('a stream that is neither stdout nor stderr');
      if (!isMultiline(o.text)) return invalidOutput('a stream without its "text"');
      return { output_type: 'stream', name: o.name, text: o.text };
    case 'execute_result':
    case 'display_data': {
      const bad = checkBundle(o.data);
      if (bad !== null) return invalidOutput(`${kind}: ${bad}`);
      const data = o.data as Record<string, MultilineString>;
      if (kind === 'display_data') return { output_type: 'display_data', data, metadata: meta };
      const count = typeof o.execution_count === 'number' && Number.isInteger(o.execution_count) ? o.execution_count : 0;
      return { output_type: 'execute_result', execution_count: count, data, metadata: meta };
    }
    case 'error':
      if (!Array.isArray(o.traceback) || !o.traceback.every((x) => typeof x === 'string')) return invalidOutput('an error whose "traceback" is not a list of lines');
      return { output_type: 'error', ename: typeof o.ename === 'string' ? o.ename : '', evalue: typeof o.evalue === 'string' ? o.evalue : '', traceback: o.traceback };
    default:
      return invalidOutput(`unknown output_type ${JSON.stringify(kind)?.slice(0, 40) ?? 'undefined'}`);
  }
}

/** A saved cell's "outputs" field, each entry checked. */
export function checkOutputs(v: unknown): Output[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return [invalidOutput('the cell\'s "outputs" is not a list')];
  return v.map(checkOutput);
}

// ---- drawing -----------------------------------------------------------------------------------------------------
/** A stream as a terminal shows it: a '\r' returns to the start of the line, so later text overwrites it. */
export function terminalText(s: string): string {
  return s.split('\n').map((line) => {
    const parts = line.split('\r');
    let out = '';
    for (const p of parts) out = p + out.slice(p.length);
    return out;
  }).join('\n');
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function figure(data: Record<string, MultilineString>): HTMLImageElement | null {
  const alt = joinSource(data['text/plain'] ?? 'a figure');
  const svg = data['image/svg+xml'];
  if (svg !== undefined) {
    const img = h('img', { class: 'nb-figure', alt });
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(joinSource(svg))}`;
    return img;
  }
  const png = data['image/png'];
  if (png !== undefined) {
    const img = h('img', { class: 'nb-figure', alt });
    img.src = `data:image/png;base64,${joinSource(png).replace(/\s/g, '')}`;
    return img;
  }
  return null;
}

function outputBody(o: Output): HTMLElement {
  switch (o.output_type) {
    case 'stream':
      return h('pre', { class: `nb-stream ${o.name}` }, terminalText(joinSource(o.text)));
    case 'error':
      return h('pre', { class: 'nb-error' }, o.traceback.join('\n').replace(ANSI, ''));
    case 'execute_result':
    case 'display_data': {
      const img = figure(o.data);
      if (img !== null) return img;
      const invalid = o.metadata[INVALID] === true;
      const cls = invalid ? 'nb-invalid' : o.output_type === 'execute_result' ? 'nb-result' : 'nb-display';
      return h('pre', { class: cls }, joinSource(o.data['text/plain'] ?? ''));
    }
  }
}

/**
 * One output row: its body, with `Out[n]:` before an execute_result as Jupyter shows it (drawn by CSS from
 * data-prompt, so the output's text is the output's alone).
 */
export function renderOutput(o: Output): HTMLElement {
  let body: HTMLElement;
  try {
    body = outputBody(o);
  } catch (e) {
    body = outputBody(invalidOutput(e instanceof Error ? e.message : String(e)));
  }
  const row = h('div', { class: 'nb-out' }, body);
  if (o.output_type === 'execute_result') row.dataset.prompt = `Out[${o.execution_count}]:`;
  return row;
}
