// Progress on the terminal. On a TTY: one live line (step, loss, steps/s, ETA) rewritten in place, with the
// lecture's `  10000/ 200000: 2.1775` lines printed above it. Not on a TTY (a log file, a pipe, CI): only
// the lecture's lines, so logs stay clean.

import type { Writable } from 'node:stream';

/** 6m 05s, 1h 02m, 42s */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private shown = false;
  private lastDraw = performance.now(); // the first draw after 100 ms, once the rate means something

  constructor(
    private readonly out: Writable & { isTTY?: boolean } = process.stdout,
    readonly live = out.isTTY === true,
  ) {
    // a closed pipe (`| head`) must not kill a training run before it saves: the lines are lost, not the model
    out.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }

  /** A permanent line (above the live line on a TTY). */
  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
  }

  /** Redraws the live line, at most every 100 ms; `loss` is the mean of the last 100 steps. No-op off a TTY. */
  update(step: number, maxSteps: number, loss: number, stepsPerSec: number, nowMs: number): void {
    if (!this.live || nowMs - this.lastDraw < 100) return;
    this.lastDraw = nowMs;
    const eta = stepsPerSec > 0 ? formatDuration((maxSteps - step) / stepsPerSec) : '?';
    const pct = maxSteps > 0 ? ((100 * step) / maxSteps).toFixed(1) : '100.0';
    this.out.write(
      `\r\x1b[2Kstep ${step}/${maxSteps} (${pct}%) | loss ${loss.toFixed(4)} (mean of last 100) | ${stepsPerSec.toFixed(0)} steps/s | ETA ${eta}`,
    );
    this.shown = true;
  }

  /** Removes the live line. */
  clear(): void {
    if (this.shown) {
      this.out.write('\r\x1b[2K');
      this.shown = false;
    }
  }
}
