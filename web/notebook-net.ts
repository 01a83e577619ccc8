// HTTP for the notebook's Python in the page (kagglehub.dataset_download): the JS module `_bpn_net` that the
// CLI's worker gives Python over Node's fetch (src/node/notebook-worker.ts, notebook-net.ts), here over a
// synchronous XMLHttpRequest, which a worker may make, so the same kagglehub code runs: the JSON request in,
// the JSON answer out, a download written to its destination in the runtime's file system (a temp file, then
// renamed: never half a file). A page may read only the servers that allow it (CORS headers); for the others
// (Kaggle's among them) the browser gives no answer at all, and the answer's error says so in one line, with
// what to do instead.

import { httpUrl } from '../src/notebook/http.js';

/** The request kagglehub sends (src/node/notebook-channel.ts HttpRequest). */
interface HttpRequest {
  url: string;
  headers?: Record<string, string>;
  /** the path to download the body to; without it the body is answered inline */
  dest?: string;
}

/** The answer kagglehub reads (src/node/notebook-net.ts HttpAnswer). */
interface HttpAnswer {
  status: number;
  url?: string;
  body?: string;
  bytes?: number;
  error?: string;
}

/** The part of Emscripten's FS a download needs. */
export interface NetFS {
  writeFile(path: string, data: Uint8Array): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

/** An inline body or an error answer is cut to this many bytes (as the CLI's). */
const MAX_BODY = 64 * 1024;
/** A request that takes longer than this fails (a synchronous request cannot be stopped by Stop). */
const TIMEOUT_MS = 300_000;

/** Why the page got no answer, and what to do: one line (kagglehub puts 'cannot reach HOST: ' in front). */
export const UNREACHABLE = 'the browser lets a page read only the servers that allow it (CORS headers), and this one does not ' +
  '(or the network is down): add the dataset\'s files to the file area (kagglehub/datasets/OWNER/DATASET/versions/N/ and ' +
  'an empty N.complete beside versions/, as kagglehub caches them), or run the notebook in the CLI: npx backprop-ninja notebook FILE';

function request(fs: NetFS, req: HttpRequest): HttpAnswer {
  const url = httpUrl(req.url);
  if (typeof url === 'string') return { status: 0, error: url };
  const x = new XMLHttpRequest();
  x.open('GET', url.href, false);
  x.responseType = 'arraybuffer';
  x.timeout = TIMEOUT_MS;
  // User-Agent is the browser's own to set
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() !== 'user-agent') x.setRequestHeader(k, v);
  try {
    x.send();
  } catch {
    return { status: 0, error: UNREACHABLE };
  }
  if (x.status === 0) return { status: 0, error: UNREACHABLE };
  const bytes = new Uint8Array(x.response as ArrayBuffer);
  const answer = { status: x.status, url: x.responseURL || url.href };
  if (req.dest === undefined || x.status >= 400) return { ...answer, body: new TextDecoder().decode(bytes.subarray(0, MAX_BODY)) };
  const tmp = `${req.dest}.part`;
  try {
    fs.writeFile(tmp, bytes);
    fs.rename(tmp, req.dest);
  } catch (e) {
    try {
      fs.unlink(tmp);
    } catch {
      // not written at all
    }
    return { status: 0, error: `cannot write ${req.dest}: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { ...answer, bytes: bytes.length };
}

/** The `_bpn_net` module for Python: request(json) -> json, synchronous. */
export function netModule(fs: NetFS): { request(json: string): string } {
  return { request: (json: string): string => JSON.stringify(request(fs, JSON.parse(json) as HttpRequest)) };
}
