// The lecture's loss picture, `plt.plot(torch.tensor(lossi).view(-1, 1000).mean(1))` where lossi holds
// log10 of every step's loss, as a small hand-written SVG line chart. Pure string functions (no DOM, no
// I/O): the CLI writes the string to a file, the browser can put it in a page.

export interface Curve {
  /** the middle of each bucket, in steps */
  x: number[];
  /** the mean of log10(loss) over the bucket */
  y: number[];
  /** steps per bucket */
  bucket: number;
}

/**
 * log10 of each loss, averaged per `bucket` steps. A trailing partial bucket is averaged over the steps it
 * has (torch's view(-1, 1000) would refuse it; a run stopped at step 1234 should still show its last part).
 */
export function lossCurve(losses: ArrayLike<number>, bucket = 1000): Curve {
  if (!Number.isInteger(bucket) || bucket < 1) throw new RangeError(`bucket must be an integer >= 1, got ${bucket}`);
  const x: number[] = [];
  const y: number[] = [];
  for (let start = 0; start < losses.length; start += bucket) {
    const end = Math.min(losses.length, start + bucket);
    let s = 0;
    for (let i = start; i < end; i++) s += Math.log10(losses[i]);
    x.push((start + end) / 2);
    y.push(s / (end - start));
  }
  return { x, y, bucket };
}

/** The lecture's 1000 steps per point for a long run; for a short one, enough points to see a shape. */
export function defaultBucket(steps: number): number {
  return steps >= 50_000 ? 1000 : Math.max(1, Math.round(steps / 50));
}

/** "Nice" tick values (1, 2 or 5 times a power of ten), about `count` of them, the first <= lo, the last >= hi. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** A tick label without float noise: 0.30000000000000004 -> "0.3", 200000 -> "200k". */
export function tickLabel(v: number, compactThousands = false): string {
  if (compactThousands && Math.abs(v) >= 1000 && v % 1000 === 0) return `${v / 1000}k`;
  return String(Number(v.toPrecision(6)));
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** a note under the title (e.g. the final losses) */
  subtitle?: string;
  /** the x range to show (default: the data's) */
  xDomain?: [number, number];
}

/** A line chart of (x[i], y[i]) as a standalone SVG document: axes, ticks, grid, labels, title. */
export function lineChartSvg(x: readonly number[], y: readonly number[], opts: ChartOptions): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 420;
  const m = { left: 72, right: 24, top: opts.subtitle ? 62 : 44, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const finite = y.filter((v) => Number.isFinite(v));
  const [xlo, xhi] = opts.xDomain ?? (x.length > 0 ? [Math.min(...x), Math.max(...x)] : [0, 1]);
  const xt = niceTicks(xlo, xhi);
  const yt = niceTicks(finite.length > 0 ? Math.min(...finite) : 0, finite.length > 0 ? Math.max(...finite) : 1, 7);
  // the axes span whole ticks, so no point sits on an axis and every end is labelled
  const [x0, x1] = [xt[0], xt[xt.length - 1]];
  const [y0, y1] = [yt[0], yt[yt.length - 1]];
  const compact = xt.length > 1 && xt[1] - xt[0] >= 1000; // 200k, not 200000, when every tick is a thousand
  const sx = (v: number): number => m.left + (x1 === x0 ? pw / 2 : ((v - x0) / (x1 - x0)) * pw);
  const sy = (v: number): number => m.top + ph - (y1 === y0 ? ph / 2 : ((v - y0) / (y1 - y0)) * ph);
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${f(W / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold" fill="#222">${esc(opts.title)}</text>`);
  if (opts.subtitle) out.push(`<text x="${f(W / 2)}" y="44" text-anchor="middle" fill="#555">${esc(opts.subtitle)}</text>`);
  // grid and ticks
  out.push('<g stroke="#e6e6e6" stroke-width="1">');
  for (const v of yt) out.push(`<line x1="${m.left}" y1="${f(sy(v))}" x2="${m.left + pw}" y2="${f(sy(v))}"/>`);
  for (const v of xt) out.push(`<line x1="${f(sx(v))}" y1="${m.top}" x2="${f(sx(v))}" y2="${m.top + ph}"/>`);
  out.push('</g>');
  out.push('<g fill="#333">');
  for (const v of yt) {
    out.push(`<line x1="${m.left - 5}" y1="${f(sy(v))}" x2="${m.left}" y2="${f(sy(v))}" stroke="#333"/>`);
    out.push(`<text x="${m.left - 8}" y="${f(sy(v) + 4)}" text-anchor="end">${esc(tickLabel(v))}</text>`);
  }
  for (const v of xt) {
    out.push(`<line x1="${f(sx(v))}" y1="${m.top + ph}" x2="${f(sx(v))}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${f(sx(v))}" y="${m.top + ph + 19}" text-anchor="middle">${esc(tickLabel(v, compact))}</text>`);
  }
  out.push('</g>');
  // axes
  out.push(`<path d="M${m.left},${m.top} V${m.top + ph} H${m.left + pw}" fill="none" stroke="#333" stroke-width="1.2"/>`);
  out.push(`<text x="${f(m.left + pw / 2)}" y="${H - 14}" text-anchor="middle" fill="#222">${esc(opts.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${f(m.top + ph / 2)}) rotate(-90)" text-anchor="middle" fill="#222">${esc(opts.yLabel)}</text>`);
  // the line; a non-finite point breaks it
  const d: string[] = [];
  let pen = false;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(y[i])) {
      pen = false;
      continue;
    }
    d.push(`${pen ? 'L' : 'M'}${f(sx(x[i]))},${f(sy(y[i]))}`);
    pen = true;
  }
  if (d.length > 0) {
    out.push(`<path d="${d.join(' ')}" fill="none" stroke="#1f77b4" stroke-width="1.6" stroke-linejoin="round"/>`);
  }
  if (x.length === 1 && Number.isFinite(y[0])) out.push(`<circle cx="${f(sx(x[0]))}" cy="${f(sy(y[0]))}" r="3" fill="#1f77b4"/>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The training run's picture: lossCurve(losses) drawn with lineChartSvg. */
export function lossChartSvg(losses: ArrayLike<number>, subtitle?: string): string {
  const c = lossCurve(losses, defaultBucket(losses.length));
  return lineChartSvg(c.x, c.y, {
    xDomain: [0, Math.max(1, losses.length)],
    title: `Training loss (log10, mean of every ${c.bucket} step${c.bucket === 1 ? '' : 's'})`,
    subtitle,
    xLabel: 'step',
    yLabel: 'log10(loss)',
  });
}
