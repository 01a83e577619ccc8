// Messages between the page, an exercise runner's relay frame (a sandboxed, opaque-origin iframe) and the
// runner's worker inside it. Plain data only (structured clone). See web/exercise-runner.ts.

import type { DType } from '../src/core/torch/dtype.js';
import type { Data } from '../src/core/torch/tensor.js';
import type { ExerciseOutcome, ExerciseRun, TrainRun } from '../src/notebook/exercise.js';

/** Pyodide's three files, fetched by the page from its own site and handed to the host frame once. */
export interface PyodideFiles {
  'pyodide.asm.mjs': ArrayBuffer;
  'pyodide.asm.wasm': ArrayBuffer;
  'python_stdlib.zip': ArrayBuffer;
}

/** What the host frame sends a runner it starts (the runner fetches nothing). */
export interface StartRequest {
  type: 'start';
  /** copies, each runner its own */
  files: PyodideFiles;
  /**
   * the interpreter's memory snapshot to start from (the page's copy, checked against its digest), under the
   * runtime's SNAPSHOT_KEY it was made for: a runner of another build ignores it
   */
  snapshot?: { key: string; bytes: Uint8Array };
  /** without a snapshot: send one back (before anything runs) for the next runners */
  makeSnapshot: boolean;
  /** [0] = 2 raises KeyboardInterrupt in the running code; made by the relay when it is cross-origin isolated */
  interrupt?: SharedArrayBuffer;
  /** echoed in every reply: a reply without it was not written by the runner */
  secret: string;
}

export type ExerciseRequest =
  | StartRequest
  | { type: 'run'; id: number; run: ExerciseRun }
  /** exercise 4: the lecture's training loop with the learner's accepted answers */
  | { type: 'train'; id: number; run: TrainRun }
  /** ends a training at the next slice (its parameters are sent back) */
  | { type: 'train-stop'; id: number };

export interface TensorCopy {
  dtype: DType;
  shape: number[];
  data: Data;
}

export type ExerciseReply =
  | { type: 'ready'; secret: string; startMs: number; fromSnapshot: boolean }
  | { type: 'fatal'; secret: string; message: string }
  /** the memory snapshot, sent once, before the ready message and before any learner code has run */
  | { type: 'snapshot'; secret: string; key: string; bytes: Uint8Array }
  /** a run (or a training) has begun: the page waits ACK_MS for it before it calls the worker unresponsive */
  | { type: 'started'; id: number; secret: string }
  | {
    type: 'result'; id: number; secret: string;
    /** what the runner saw of tampering (before or after the run), or null */
    tampered: string | null;
    /** false: refused before running (the worker was already tampered with) */
    ran: boolean;
    ms?: number;
    outcome: ExerciseOutcome;
    /** what the code printed (shown as text, never judged) */
    stdout?: string;
  }
  /** the new steps' losses (their own forward's), and which forward the chain runs on */
  | { type: 'train-progress'; id: number; secret: string; step: number; losses: number[]; forward: string }
  /** the parameters after `step` steps (copies) */
  | { type: 'train-done'; id: number; secret: string; step: number; params: TensorCopy[]; stdout: string }
  | { type: 'train-error'; id: number; secret: string; exercise: string; error: string; step?: number; missing?: string; interrupted?: boolean; stdout: string };

/** From the page to the host frame (one per page: it starts and ends the runners, each a worker of its own). */
export type HostRequest =
  /** once: the worker's code (the built bundle's text), Pyodide's files, the saved snapshot (all transferred) */
  | { type: 'resources'; code: string; files: PyodideFiles; snapshot?: { key: string; bytes: Uint8Array } }
  /** starts runner `rid` with this secret */
  | { type: 'spawn'; rid: number; secret: string }
  | { type: 'kill'; rid: number }
  /** KeyboardInterrupt in runner rid's running code (through its shared buffer) */
  | { type: 'interrupt'; rid: number }
  | { type: 'forward'; rid: number; message: Exclude<ExerciseRequest, StartRequest>; transfer: ArrayBuffer[] };

/** From the host frame itself, about runner rid (0: the frame); what a runner sends comes as { from: 'worker' }. */
export type HostReply =
  | { type: 'host-up' }
  | { type: 'spawned'; interrupt: boolean }
  | { type: 'crashed'; message: string };

/** Every message from the host frame: its own, or one a runner sent, tagged with the runner it came from. */
export type HostEnvelope = { from: 'host'; rid: number; data: HostReply } | { from: 'worker'; rid: number; data: unknown };
