// The `_bpn_graphviz` JS module: Graphviz compiled to WebAssembly (the npm package @viz-js/viz) for the
// notebook's `graphviz` Python package (python/graphviz/). Rendering is synchronous, so a Python call
// (`dot.pipe(format='svg')`, a cell's last expression `draw_dot(o)`) renders in place; making the Viz instance
// is not (it compiles ~1 MB of wasm), so `loadGraphviz()` starts it while the runtime starts, in parallel with
// Pyodide, and the runtime awaits it before the first cell (see runtime.ts). One instance per JS realm (a
// worker), shared by the runtimes in it: render is synchronous and the realm single-threaded.

import type { Viz } from '@viz-js/viz';

let viz: Viz | undefined;
let failure: string | undefined;
let loading: Promise<void> | undefined;

/** Starts creating the Viz instance (once per realm); resolves when it is ready or has failed (never rejects). */
export function loadGraphviz(): Promise<void> {
  loading ??= import('@viz-js/viz')
    .then((m) => m.instance())
    .then(
      (v) => {
        viz = v;
      },
      (e: unknown) => {
        failure = e instanceof Error ? e.message : String(e);
      },
    );
  return loading;
}

/** A render error: its name becomes the Python exception's class (see python/graphviz/backend.py). */
class GraphvizError extends Error {
  constructor(name: 'CalledProcessError' | 'ExecutableNotFound', message: string) {
    super(message);
    this.name = name;
  }
}

function instance(): Viz {
  if (viz !== undefined) return viz;
  throw new GraphvizError(
    'ExecutableNotFound',
    failure !== undefined
      ? `Graphviz (@viz-js/viz, WebAssembly) failed to load: ${failure}`
      : loading === undefined
        ? 'Graphviz (@viz-js/viz, WebAssembly) is not loaded in this runtime (it was started with graphviz: false)'
        : 'Graphviz (@viz-js/viz) is still loading: the runtime awaits it before the first cell, so this is a bug',
  );
}

export interface GraphvizModule {
  /**
   * DOT source -> the output text of `format` ('svg', 'dot', 'json', 'plain', 'xdot'...) laid out by `engine`.
   * Throws CalledProcessError when Graphviz reports an error (as Debian's `dot` exits 1 on one, even where the
   * WebAssembly build still lays the graph out, e.g. a bad record label).
   */
  render(source: string, engine: string, format: string): string;
  /** the warnings of the last render, one 'Warning: ...' line each ('' when none): what `dot` writes to stderr */
  warnings(): string;
  /** the Graphviz version, 'X.Y.Z' */
  version(): string;
  /** the output formats, space-separated */
  formats(): string;
}

export function createGraphvizModule(): GraphvizModule {
  let warnings = '';
  return {
    render(source: string, engine: string, format: string): string {
      const r = instance().render(source, { engine, format });
      const lines = r.errors.map((e) => `${e.level === 'warning' ? 'Warning' : 'Error'}: ${e.message}`);
      if (r.status === 'success' && !r.errors.some((e) => e.level === 'error')) {
        warnings = lines.join('\n');
        return r.output;
      }
      warnings = '';
      throw new GraphvizError('CalledProcessError', lines.join('\n') || 'Error: render failed');
    },
    warnings: () => warnings,
    version: () => instance().graphvizVersion,
    formats: () => instance().formats.join(' '),
  };
}
