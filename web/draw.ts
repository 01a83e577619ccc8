// Canvas drawing: heatmaps (the lecture's imshow), a line chart, a histogram, horizontal bars.

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

/**
 * A heatmap, one pixel per value: diverging blue (negative) - white - red (positive), symmetric around 0
 * and scaled to the largest |value|; with `sequential`, white to dark red from 0 to the max.
 */
export function heatmap(canvas: HTMLCanvasElement, shape: readonly number[], data: ArrayLike<number>, sequential = false): { min: number; max: number } {
  const [rows, cols] = grid2d(shape);
  canvas.width = cols;
  canvas.height = rows;
  canvas.style.aspectRatio = `${cols} / ${Math.max(rows, cols / 12)}`;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2-D canvas context');
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
  const img = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const v = data[i];
    let r = 255;
    let g = 255;
    let b = 255;
    if (!Number.isFinite(v)) {
      r = 0; g = 0; b = 0;
    } else if (amax > 0) {
      const t = Math.min(1, Math.abs(v) / amax);
      if (sequential || v > 0) {
        g = b = Math.round(255 * (1 - t));
        r = Math.round(255 - 75 * t);
      } else {
        r = g = Math.round(255 * (1 - t));
        b = Math.round(255 - 75 * t);
      }
    }
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = b;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return { min, max };
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

/** Shows the value under the pointer ("[i, j] = v") in `out` while hovering a heatmap canvas. */
export function hoverValues(canvas: HTMLCanvasElement, shape: readonly number[], data: ArrayLike<number>, out: HTMLElement): void {
  const [rows, cols] = grid2d(shape);
  const base = out.textContent ?? '';
  canvas.addEventListener('pointermove', (e) => {
    const r = canvas.getBoundingClientRect();
    const j = Math.min(cols - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * cols)));
    const i = Math.min(rows - 1, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * rows)));
    out.textContent = `[${rows === 1 && shape.length < 2 ? j : `${i}, ${j}`}] = ${Number(data[i * cols + j]).toPrecision(6)}`;
  });
  canvas.addEventListener('pointerleave', () => {
    out.textContent = base;
  });
}
