// Canvas drawing: heatmaps (the lecture's imshow), line charts, a histogram, horizontal bars.

import { unravel } from '../src/core/lab/judge.js';

/** Sizes a canvas's backing store to its CSS box (times the device pixel ratio); returns the 2-D context. */
function fit(canvas: HTMLCanvasElement, cssHeight?: number): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(50, canvas.clientWidth);
  const h = cssHeight ?? Math.max(50, canvas.clientHeight);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2-D canvas context');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** The 2-D view of a tensor for a heatmap: rows = first dim, columns = the rest (a vector is one row). */
export function grid2d(shape: readonly number[]): [number, number] {
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.length < 2) return [1, n];
  return [shape[0], n / shape[0]];
}

/** The colour of v on a scale: diverging blue (negative) - white - red (positive) around 0 up to +-scale, or
 *  sequential white to dark red from 0 to scale; NaN and infinities are black. */
function colour(v: number, scale: number, sequential: boolean): [number, number, number] {
  if (!Number.isFinite(v)) return [0, 0, 0];
  if (scale <= 0) return [255, 255, 255];
  const t = Math.min(1, Math.abs(v) / scale);
  if (sequential || v > 0) return [Math.round(255 - 75 * t), Math.round(255 * (1 - t)), Math.round(255 * (1 - t))];
  return [Math.round(255 * (1 - t)), Math.round(255 * (1 - t)), Math.round(255 - 75 * t)];
}

const fmtTick = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 1e-2 && Math.abs(v) < 1e4 ? Number(v.toPrecision(2)).toString() : v.toExponential(1));

export interface HeatmapOptions {
  /** the colour scale's end: values at +-scale are the darkest (default: the largest |value|) */
  scale?: number;
  /** white to red from 0 (for |differences|), instead of blue - white - red around 0 */
  sequential?: boolean;
}

/** Where a heatmap's cells are on its canvas (CSS pixels), to find the value under the pointer. */
export interface HeatmapGeometry {
  rows: number;
  cols: number;
  x0: number;
  y0: number;
  cell: number;
  min: number;
  max: number;
  scale: number;
}

const PLOT_L = 30;
const PLOT_T = 4;
const PLOT_B = 16;
const BAR_W = 66;
const MAX_PLOT_H = 240;

/**
 * The lecture's imshow, readable: one square cell per value (rows = dim 0, columns = the rest, a vector is one
 * row), its first and last row and column numbered on the axes, and a colour bar with the scale's ends and 0.
 * The canvas keeps its CSS width; its height follows the tensor's shape.
 */
export function heatmap(canvas: HTMLCanvasElement, shape: readonly number[], data: ArrayLike<number>, opts: HeatmapOptions = {}): HeatmapGeometry {
  const [rows, cols] = grid2d(shape);
  let min = Infinity;
  let max = -Infinity;
  let amax = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    amax = Math.max(amax, Math.abs(v));
  }
  const scale = opts.scale ?? amax;
  const sequential = opts.sequential === true;
  const cssW = Math.max(160, canvas.clientWidth || 320);
  const plotW = cssW - PLOT_L - BAR_W;
  const cell = Math.max(0.5, Math.min(plotW / Math.max(1, cols), MAX_PLOT_H / Math.max(1, rows), 24));
  const cssH = Math.max(48, Math.ceil(rows * cell) + PLOT_T + PLOT_B);
  canvas.style.height = `${cssH}px`;
  const { ctx } = fit(canvas, cssH);
  const x0 = PLOT_L;
  const y0 = PLOT_T;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [R, G, B] = colour(data[r * cols + c], scale, sequential);
      ctx.fillStyle = `rgb(${R},${G},${B})`;
      // cells overlap by a hair so no seam shows between them
      ctx.fillRect(x0 + c * cell, y0 + r * cell, cell + 0.5, cell + 0.5);
    }
  }
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 - 0.5, y0 - 0.5, cols * cell + 1, rows * cell + 1);
  // axes: the first and last index of each
  ctx.fillStyle = '#555';
  ctx.font = '10px ui-monospace, monospace';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText('0', x0 - 3, y0);
  if (rows > 1) {
    ctx.textBaseline = 'bottom';
    ctx.fillText(String(rows - 1), x0 - 3, y0 + rows * cell);
  }
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  const yb = y0 + rows * cell + 3;
  ctx.fillText('0', x0, yb);
  if (cols > 1) {
    ctx.textAlign = 'right';
    ctx.fillText(String(cols - 1), x0 + cols * cell, yb);
  }
  // the colour bar: the scale's ends and 0 (or 0 and the end, sequential)
  const bx = x0 + cols * cell + 8;
  const bh = Math.max(40, rows * cell);
  for (let k = 0; k < bh; k++) {
    const v = sequential ? scale * (1 - k / (bh - 1)) : scale * (1 - (2 * k) / (bh - 1));
    const [R, G, B] = colour(v, scale, sequential);
    ctx.fillStyle = `rgb(${R},${G},${B})`;
    ctx.fillRect(bx, y0 + k, 8, 1);
  }
  ctx.strokeStyle = '#999';
  ctx.strokeRect(bx - 0.5, y0 - 0.5, 9, bh + 1);
  ctx.fillStyle = '#555';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(fmtTick(scale), bx + 11, y0);
  ctx.textBaseline = 'bottom';
  ctx.fillText(sequential ? '0' : fmtTick(-scale), bx + 11, y0 + bh);
  if (!sequential) {
    ctx.textBaseline = 'middle';
    ctx.fillText('0', bx + 11, y0 + bh / 2);
  }
  const g: HeatmapGeometry = { rows, cols, x0, y0, cell, min, max, scale };
  geometries.set(canvas, g);
  return g;
}

const geometries = new WeakMap<HTMLCanvasElement, HeatmapGeometry>();

/** The flat index of the cell under a point (client coordinates) of a heatmap drawn by heatmap(), or -1. */
export function cellAt(canvas: HTMLCanvasElement, clientX: number, clientY: number): number {
  const g = geometries.get(canvas);
  if (g === undefined) return -1;
  const r = canvas.getBoundingClientRect();
  const j = Math.floor((clientX - r.left - g.x0) / g.cell);
  const i = Math.floor((clientY - r.top - g.y0) / g.cell);
  return i >= 0 && i < g.rows && j >= 0 && j < g.cols ? i * g.cols + j : -1;
}

/** A line chart of (x, y) points with the y range labelled. */
export function lineChart(canvas: HTMLCanvasElement, pts: readonly [number, number][], xMax: number): void {
  const { ctx, w, h } = fit(canvas);
  const L = 44;
  const B = 18;
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(L, 4, w - L - 6, h - B - 4);
  if (pts.length === 0) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, y] of pts) {
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  }
  if (hi - lo < 1e-3) {
    hi += 0.05;
    lo -= 0.05;
  }
  const X = (x: number): number => L + (x / Math.max(1, xMax)) * (w - L - 6);
  const Y = (y: number): number => 4 + (1 - (y - lo) / (hi - lo)) * (h - B - 8);
  ctx.fillStyle = '#666';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(hi.toFixed(3), 2, 12);
  ctx.fillText(lo.toFixed(3), 2, h - B);
  ctx.fillText('0', L, h - 4);
  ctx.fillText(String(xMax), w - 40, h - 4);
  ctx.strokeStyle = '#2456a6';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(X(x), Y(y)) : ctx.lineTo(X(x), Y(y))));
  ctx.stroke();
}

export interface Series {
  label: string;
  colour: string;
  points: readonly [number, number][];
  /** a dashed line */
  dash?: boolean;
  /** the line's width (default 1.5): a wide pale line under a thin one shows where two curves coincide */
  width?: number;
}

/**
 * Several curves over one y range (the lecture's log10 loss, averaged), with a legend; x from 0 to xMax.
 * The range covers every series, so two runs that should agree are drawn on the same scale.
 */
export function curves(canvas: HTMLCanvasElement, series: readonly Series[], xMax: number, yLabel = ''): void {
  const { ctx, w, h } = fit(canvas);
  const L = 44;
  const B = 18;
  const T = 18;
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(L, T, w - L - 6, h - B - T);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const [, y] of s.points) {
      if (!Number.isFinite(y)) continue;
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
  }
  ctx.font = '11px system-ui, sans-serif';
  // the legend, above the plot
  let lx = L;
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = Math.min(4, s.width ?? 2);
    ctx.setLineDash(s.dash === true ? [5, 3] : []);
    ctx.beginPath();
    ctx.moveTo(lx, 9);
    ctx.lineTo(lx + 18, 9);
    ctx.stroke();
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'middle';
    ctx.fillText(s.label, lx + 22, 9);
    lx += 30 + ctx.measureText(s.label).width;
  }
  ctx.setLineDash([]);
  if (!Number.isFinite(lo)) return;
  if (hi - lo < 1e-3) {
    hi += 0.05;
    lo -= 0.05;
  }
  const X = (x: number): number => L + (x / Math.max(1, xMax)) * (w - L - 6);
  const Y = (y: number): number => T + (1 - (y - lo) / (hi - lo)) * (h - B - T);
  ctx.fillStyle = '#666';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(hi.toFixed(3), 2, T + 10);
  ctx.fillText(lo.toFixed(3), 2, h - B);
  if (yLabel !== '') ctx.fillText(yLabel, 2, (T + h - B) / 2);
  ctx.fillText('0', L, h - 4);
  ctx.textAlign = 'right';
  ctx.fillText(`${xMax} steps`, w - 6, h - 4);
  ctx.textAlign = 'left';
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = s.width ?? 1.5;
    ctx.lineJoin = 'round';
    ctx.setLineDash(s.dash === true ? [5, 3] : []);
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(X(x), Y(y)) : ctx.lineTo(X(x), Y(y))));
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** A histogram of counts over [-1, 1]. */
export function histogram(canvas: HTMLCanvasElement, counts: readonly number[]): void {
  const { ctx, w, h } = fit(canvas);
  const m = Math.max(1, ...counts);
  const bw = (w - 8) / counts.length;
  ctx.fillStyle = '#2456a6';
  counts.forEach((c, i) => {
    const bh = (c / m) * (h - 24);
    ctx.fillRect(4 + i * bw, h - 16 - bh, Math.max(1, bw - 1), bh);
  });
  ctx.fillStyle = '#666';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText('-1', 4, h - 3);
  ctx.fillText('0', w / 2 - 3, h - 3);
  ctx.fillText('1', w - 12, h - 3);
}

/** Horizontal bars for named values on a fixed axis [lo, hi], with a reference line at `ref`. */
export function bars(canvas: HTMLCanvasElement, entries: readonly [string, number][], lo: number, hi: number, ref: number): void {
  const { ctx, w, h } = fit(canvas);
  const L = 52;
  const X = (v: number): number => L + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (w - L - 8);
  const rowH = (h - 18) / Math.max(1, entries.length);
  ctx.font = '11px ui-monospace, monospace';
  entries.forEach(([name, v], i) => {
    const y = 2 + i * rowH;
    ctx.fillStyle = '#333';
    ctx.fillText(name, 2, y + rowH * 0.7);
    ctx.fillStyle = Number.isFinite(v) ? '#2456a6' : '#bbb';
    ctx.fillRect(L, y + 2, Number.isFinite(v) ? X(v) - L : 2, rowH - 4);
    ctx.fillStyle = '#333';
    ctx.fillText(Number.isFinite(v) ? v.toFixed(2) : String(v), Math.min(w - 40, Math.max(L, X(v)) + 3), y + rowH * 0.7);
  });
  ctx.strokeStyle = '#b3261e';
  ctx.beginPath();
  ctx.moveTo(X(ref), 0);
  ctx.lineTo(X(ref), h - 16);
  ctx.stroke();
  ctx.fillStyle = '#666';
  ctx.fillText(String(lo), L, h - 3);
  ctx.fillText(String(ref), X(ref) - 6, h - 3);
  ctx.fillText(String(hi), w - 20, h - 3);
}

/** Shows the value under the pointer ("[i, j] = v", in the tensor's own index) in `out` while hovering a heatmap. */
export function hoverValues(canvas: HTMLCanvasElement, shape: readonly number[], data: ArrayLike<number>, out: HTMLElement): void {
  const base = out.textContent ?? '';
  canvas.addEventListener('pointermove', (e) => {
    const k = cellAt(canvas, e.clientX, e.clientY);
    if (k < 0) {
      out.textContent = base;
      return;
    }
    out.textContent = `[${unravel(k, shape).join(', ')}] = ${Number(data[k]).toPrecision(6)}`;
  });
  canvas.addEventListener('pointerleave', () => {
    out.textContent = base;
  });
}
