// Markdown cells as Jupyter shows them: CommonMark and GitHub tables by markdown-it, math by KaTeX (`$...$`
// and `\(...\)` inline, `$$...$$` and `\[...\]` displayed), sanitised. Loaded on demand (the lab's other tabs
// do not pay for it).
//
// Why it cannot run script: markdown-it is told `html: false`, so raw HTML in a cell comes out as text; its
// output is then parsed into an inert document and every element and attribute not on a short allowlist is
// dropped (links only to http(s), mailto and #anchors, images only from http(s) and data:image of raster
// types); math is rendered last, into elements the sanitiser has already checked, by KaTeX with `trust: false`
// (no \href, \url, \includegraphics, \htmlClass...) and bounded macro expansion.

import katex from 'katex';
import 'katex/dist/katex.min.css';
import MarkdownIt from 'markdown-it';
import type { StateBlock, StateInline } from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

// ---- math in the markdown --------------------------------------------------------------------------------------
function mathToken(state: StateInline | StateBlock, tex: string, display: boolean): void {
  const t = state.push('math', 'span', 0);
  t.content = tex;
  t.meta = { display };
}

/** `$...$`, `$$...$$` (displayed), `\(...\)`, `\[...\]` inside a paragraph. */
function mathInline(state: StateInline, silent: boolean): boolean {
  const s = state.src;
  const at = state.pos;
  let open = '';
  let close = '';
  if (s.startsWith('$$', at)) [open, close] = ['$$', '$$'];
  else if (s[at] === '$') [open, close] = ['$', '$'];
  else if (s.startsWith('\\(', at)) [open, close] = ['\\(', '\\)'];
  else if (s.startsWith('\\[', at)) [open, close] = ['\\[', '\\]'];
  else return false;
  const from = at + open.length;
  let end = from;
  for (;;) {
    end = s.indexOf(close, end);
    if (end < 0) return false;
    if (s[end - 1] === '\\' && close.startsWith('$')) {
      end += 1; // an escaped dollar inside the math
      continue;
    }
    break;
  }
  const tex = s.slice(from, end);
  if (tex.trim() === '') return false;
  // a single dollar as TeX notebooks use it, not as money: "$x$" yes, "$5 and $6" no
  if (open === '$' && (/^\s/.test(tex) || /\s$/.test(tex))) return false;
  if (!silent) mathToken(state, tex, open === '$$' || open === '\\[');
  state.pos = end + close.length;
  return true;
}

/** A paragraph-level `$$ ... $$` (one line or several). */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const first = state.src.slice(start, state.eMarks[startLine]);
  if (!first.startsWith('$$')) return false;
  let tex = first.slice(2);
  let line = startLine;
  let closed = tex.trimEnd().endsWith('$$');
  if (closed) tex = tex.trimEnd().slice(0, -2);
  while (!closed && ++line < endLine) {
    const text = state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
    if (text.trimEnd().endsWith('$$')) {
      tex += `\n${text.trimEnd().slice(0, -2)}`;
      closed = true;
    } else tex += `\n${text}`;
  }
  if (!closed) return false;
  if (silent) return true;
  state.line = line + 1;
  const t = state.push('math_block', 'div', 0);
  t.content = tex;
  t.map = [startLine, state.line];
  return true;
}

md.inline.ruler.before('escape', 'math', mathInline);
md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
md.renderer.rules.math = (tokens, i) => {
  const t = tokens[i];
  const display = (t.meta as { display: boolean }).display;
  return `<span class="nb-math" data-tex="${md.utils.escapeHtml(t.content)}"${display ? ' data-display="1"' : ''}></span>`;
};
md.renderer.rules.math_block = (tokens, i) =>
  `<div class="nb-math" data-tex="${md.utils.escapeHtml(tokens[i].content)}" data-display="1"></div>\n`;

// ---- the sanitiser -----------------------------------------------------------------------------------------------
const TAGS = new Set([
  'a', 'b', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img',
  'li', 'ol', 'p', 'pre', 's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
]);
const SAFE_HREF = /^(https?:|mailto:|#)/i;
const SAFE_SRC = /^(https?:|data:image\/(png|gif|jpeg|webp);)/i;

function allowed(el: Element, name: string, value: string): boolean {
  const tag = el.localName;
  if (name === 'href') return tag === 'a' && SAFE_HREF.test(value.trim());
  if (name === 'src') return tag === 'img' && SAFE_SRC.test(value.trim());
  if (name === 'alt' || name === 'title') return true;
  if (name === 'start') return tag === 'ol' && /^\d+$/.test(value);
  if (name === 'style') return (tag === 'td' || tag === 'th') && /^text-align:(left|right|center)$/.test(value);
  if (name === 'class') return (tag === 'code' && /^language-[\w+-]+$/.test(value)) || value === 'nb-math';
  if (name === 'data-tex' || name === 'data-display') return el.classList.contains('nb-math');
  return false;
}

function sanitise(root: Element): void {
  for (const el of [...root.querySelectorAll('*')]) {
    if (!TAGS.has(el.localName)) {
      el.replaceWith(el.ownerDocument.createTextNode(el.textContent ?? ''));
      continue;
    }
    for (const a of [...el.attributes]) {
      if (!allowed(el, a.name, a.value)) el.removeAttribute(a.name);
    }
    if (el.localName === 'a') {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  }
}

/** The cell's markdown as sanitised nodes, headings one level down (the lab's own page holds the h1). */
export function renderMarkdown(source: string): Node[] {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${md.render(source)}</body>`, 'text/html');
  const body = doc.body;
  sanitise(body);
  for (const h of [...body.querySelectorAll('h1, h2, h3, h4, h5')]) {
    const lower = doc.createElement(`h${Number(h.localName[1]) + 1}`);
    lower.append(...h.childNodes);
    h.replaceWith(lower);
  }
  for (const m of [...body.querySelectorAll<HTMLElement>('.nb-math')]) {
    const tex = m.dataset.tex ?? '';
    m.removeAttribute('data-tex');
    m.innerHTML = katex.renderToString(tex, {
      displayMode: m.dataset.display === '1',
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      maxExpand: 1000,
      maxSize: 20,
      output: 'htmlAndMathml',
    });
  }
  return [...body.childNodes].map((n) => document.adoptNode(n));
}
