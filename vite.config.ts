// The browser lab: `npm run web` serves web/ (dev), `npm run build:web` writes a static site to dist-web/
// with relative URLs (base './'), so it works from any static host or sub-path.
//
// The Notebook tab runs CPython (Pyodide) in a module worker. Pyodide's runtime files are served from our
// own site, never a CDN: in dev straight from node_modules/pyodide under ./pyodide/, in the build copied
// into dist-web/pyodide/. The dev and preview servers send the cross-origin isolation headers (COOP/COEP)
// so the notebook's Stop can interrupt a cell through a SharedArrayBuffer; see the README for other hosts.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build, createLogger, defineConfig, type Plugin, type Rollup } from 'vite';

/** What the page needs from the pyodide package (the lock file is replaced by an empty one in runtime.ts). */
const PYODIDE_FILES = ['pyodide.asm.wasm', 'pyodide.asm.mjs', 'python_stdlib.zip'] as const;
const PYODIDE_TYPES: Record<string, string> = {
  'pyodide.asm.wasm': 'application/wasm', 'pyodide.asm.mjs': 'text/javascript', 'python_stdlib.zip': 'application/zip',
};
const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/pyodide.mjs'));

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function pyodideFiles(): Plugin {
  return {
    name: 'backprop-ninja:pyodide-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /\/pyodide\/([\w.]+)(\?.*)?$/.exec(req.url ?? '');
        const name = m?.[1];
        if (name === undefined || !(PYODIDE_FILES as readonly string[]).includes(name)) return next();
        const file = join(pyodideDir, name);
        res.setHeader('Content-Type', PYODIDE_TYPES[name]);
        res.setHeader('Content-Length', String(statSync(file).size));
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const name of PYODIDE_FILES) {
        this.emitFile({ type: 'asset', fileName: `pyodide/${name}`, source: readFileSync(join(pyodideDir, name)) });
      }
    },
  };
}

/**
 * Under `npm run web`, the exercise runner's worker as one bundled file (/@bpn/exercise.worker.js): the page
 * starts it from a data: URL in an opaque origin (web/exercise-runner.ts), which cannot import the dev
 * server's modules one by one. Bundled on first request, again after a source changes.
 */
function exerciseWorkerDev(): Plugin {
  let bundled: Promise<string> | null = null;
  const bundle = async (): Promise<string> => {
    const out = await build({
      configFile: false, root: join(import.meta.dirname, 'web'), logLevel: 'warn', customLogger: logger,
      build: {
        write: false, target: 'es2022', minify: false,
        lib: { entry: 'exercise.worker.ts', formats: ['es'], fileName: 'exercise.worker' },
        rollupOptions: { output: { codeSplitting: false } },
      },
    });
    const chunk = (Array.isArray(out) ? out[0] : out as Rollup.RollupOutput).output.find((c): c is Rollup.OutputChunk => c.type === 'chunk' && c.isEntry);
    if (chunk === undefined) throw new Error('no exercise worker bundle');
    return chunk.code;
  };
  return {
    name: 'backprop-ninja:exercise-worker-dev',
    apply: 'serve',
    configureServer(server) {
      server.watcher.on('change', () => {
        bundled = null;
      });
      server.middlewares.use((req, res, next) => {
        if (!(req.url ?? '').startsWith('/@bpn/exercise.worker.js')) return next();
        bundled ??= bundle();
        bundled.then((code) => {
          res.setHeader('Content-Type', 'text/javascript');
          res.end(code);
        }, (e: unknown) => {
          bundled = null;
          res.statusCode = 500;
          res.end(String(e));
        });
      });
    },
  };
}

// pyodide.mjs imports node:fs & co. for Node, behind a runtime check the browser never takes: Vite's notes
// that it replaced them with empty modules say nothing useful, so they are left out of the build's log
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (msg, opts) => {
  if (!(msg.includes('externalized for browser compatibility') && msg.includes('pyodide'))) warn(msg, opts);
};

export default defineConfig({
  customLogger: logger,
  root: 'web',
  base: './',
  build: { outDir: '../dist-web', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['pyodide'] },
  plugins: [pyodideFiles(), exerciseWorkerDev()],
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
