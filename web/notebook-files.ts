// The Notebook tab's file panel, as JupyterLite's file browser: one folder of the file area shown at a time
// (its path as buttons above, to go back up), its folders (a click enters one), notebooks and data files kept
// in this browser, each with open (a notebook), rename, download (a file) and delete; and the lecture notebooks of the series,
// shipped with the lab (lectures/, MIT) and fetched from its own site when chosen.

import licence from '../lectures/LICENSE-nn-zero-to-hero?raw';
import part1 from '../lectures/makemore_part1_bigrams.ipynb?url';
import part2 from '../lectures/makemore_part2_mlp.ipynb?url';
import part3 from '../lectures/makemore_part3_bn.ipynb?url';
import part4 from '../lectures/makemore_part4_backprop.ipynb?url';
import part5 from '../lectures/makemore_part5_cnn1.ipynb?url';
import micrograd1 from '../lectures/micrograd_lecture_first_half_roughly.ipynb?url';
import micrograd2 from '../lectures/micrograd_lecture_second_half_roughly.ipynb?url';
import { h } from './dom.js';
import { baseName } from './notebook-protocol.js';

export interface Lecture {
  name: string;
  title: string;
  url: string;
}

export const LECTURES: readonly Lecture[] = [
  { name: 'micrograd_lecture_first_half_roughly.ipynb', title: 'micrograd, first half', url: micrograd1 },
  { name: 'micrograd_lecture_second_half_roughly.ipynb', title: 'micrograd, second half', url: micrograd2 },
  { name: 'makemore_part1_bigrams.ipynb', title: 'makemore 1: bigrams', url: part1 },
  { name: 'makemore_part2_mlp.ipynb', title: 'makemore 2: MLP', url: part2 },
  { name: 'makemore_part3_bn.ipynb', title: 'makemore 3: activations, BatchNorm', url: part3 },
  { name: 'makemore_part4_backprop.ipynb', title: 'makemore 4: becoming a backprop ninja', url: part4 },
  { name: 'makemore_part5_cnn1.ipynb', title: 'makemore 5: WaveNet', url: part5 },
];

export const LECTURE_LICENCE = licence;

export interface FileRow {
  /** its path in the file area */
  name: string;
  kind: 'notebook' | 'data' | 'folder';
  size: number;
  /** the embedded names.txt: not stored, cannot be renamed or deleted */
  embedded?: boolean;
  /** the notebook open in this tab */
  open?: boolean;
}

export interface FileActions {
  open(name: string): void;
  /** show this folder's files */
  enter(folder: string): void;
  rename(name: string): void;
  download(name: string): void;
  remove(name: string): void;
}

export function sizeText(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function button(label: string, what: string, testid: string, act: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'nb-tool', title: what, 'aria-label': what, 'data-testid': testid }, label);
  b.addEventListener('click', act);
  return b;
}

const ORDER = { folder: 0, notebook: 1, data: 2 } as const;

/**
 * Draws one folder's list: its folders first, then notebooks, then data files, each by its last path component
 * (test ids by the whole path); the open notebook marked (aria-current).
 */
export function drawFileList(ul: HTMLElement, rows: FileRow[], act: FileActions): void {
  const sorted = [...rows].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : ORDER[a.kind] - ORDER[b.kind]));
  ul.replaceChildren(...sorted.map((f) => {
    const shown = baseName(f.name);
    const label = h('span', { class: 'nb-file-name' }, shown);
    const main = f.kind === 'data'
      ? h('span', { class: 'nb-file-open data', 'data-testid': `notebook-file-${f.name}`, title: f.name }, label)
      : h('button', { type: 'button', class: `nb-file-open ${f.kind}`, 'data-testid': `notebook-file-${f.name}`, title: `${f.kind === 'folder' ? 'show the folder' : 'open'} ${f.name}` }, label);
    if (f.kind === 'notebook') main.addEventListener('click', () => act.open(f.name));
    if (f.kind === 'folder') main.addEventListener('click', () => act.enter(f.name));
    if (f.open === true) main.setAttribute('aria-current', 'true');
    const info = h('span', { class: 'nb-file-size' }, f.embedded === true ? 'embedded' : f.kind === 'folder' ? 'folder' : sizeText(f.size));
    const tools = h('span', { class: 'nb-file-tools' });
    if (f.embedded !== true) tools.append(button('✎', `rename ${f.name}`, `notebook-rename-${f.name}`, () => act.rename(f.name)));
    if (f.kind !== 'folder') tools.append(button('⤓', `download ${f.name}`, `notebook-download-${f.name}`, () => act.download(f.name)));
    if (f.embedded !== true) tools.append(button('✕', `delete ${f.name}`, `notebook-delete-${f.name}`, () => act.remove(f.name)));
    return h('li', { class: f.open === true ? 'open' : '' }, main, info, tools);
  }));
}

/** The folder shown, as a path of buttons: the root ('files'), then each folder down to it. */
export function drawCrumbs(nav: HTMLElement, folder: string, enter: (folder: string) => void): void {
  const parts = folder === '' ? [] : folder.split('/');
  const crumb = (label: string, path: string): HTMLElement => {
    const b = h('button', { type: 'button', 'data-testid': `notebook-crumb-${path}`, title: path === '' ? 'the file area\'s root' : `show ${path}` }, label);
    if (path === folder) b.setAttribute('aria-current', 'location');
    b.addEventListener('click', () => enter(path));
    return b;
  };
  const items: (Node | string)[] = [crumb('files', '')];
  parts.forEach((p, i) => items.push(' / ', crumb(p, parts.slice(0, i + 1).join('/'))));
  nav.replaceChildren(...items);
}

/** The lecture menu: one button a notebook. */
export function drawLectures(ul: HTMLElement, pre: HTMLElement, open: (l: Lecture) => void): void {
  pre.textContent = LECTURE_LICENCE;
  ul.replaceChildren(...LECTURES.map((l) => {
    const b = h('button', { type: 'button', class: 'nb-file-open', 'data-testid': `notebook-lecture-${l.name}`, title: l.name }, l.title);
    b.addEventListener('click', () => open(l));
    return h('li', {}, b);
  }));
}

/** Downloads bytes or text under a file name (an <a download> clicked, its URL revoked later). */
export function downloadBlob(name: string, blob: Blob): void {
  const a = h('a', { download: name });
  const url = URL.createObjectURL(blob);
  a.href = url;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A name not in `taken`: the name itself, else stem-Copy1.ext, stem-Copy2.ext... (as JupyterLab names copies). */
export function freeName(name: string, taken: (n: string) => boolean, sep = '-Copy'): string {
  if (!taken(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let k = 1; ; k++) {
    const n = `${stem}${sep}${k}${ext}`;
    if (!taken(n)) return n;
  }
}

/** Why a name cannot be a file's (or folder's) new name, or null when it can; `taken` gets the name. */
export function badName(name: string, kind: 'notebook' | 'data' | 'folder', taken: (n: string) => boolean): string | null {
  if (name === '') return 'a name is needed';
  if (!/^[^/\\]+$/.test(name) || name === '.' || name === '..') return 'one file name, with no / or \\';
  if (name.length > 200) return 'at most 200 characters';
  if (kind === 'notebook' && !/\.(ipynb|py)$/i.test(name)) return 'a notebook\'s name ends in .ipynb (or .py)';
  if (taken(name)) return `${name} exists: choose another name`;
  return null;
}
