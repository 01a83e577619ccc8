// What the notebook's HTTP for Python (kagglehub's `_bpn_net`) accepts, in the CLI (src/node/notebook-net.ts)
// and in the page (web/notebook-net.ts) alike.

/** The URL of a request, or why it cannot be made (one phrase): only http(s) URLs are fetched. */
export function httpUrl(raw: string): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `not a URL: ${JSON.stringify(raw).slice(0, 200)}`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : `not an http(s) URL: ${url.protocol}`;
}
