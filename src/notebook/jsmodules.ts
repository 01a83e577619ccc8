// The JavaScript modules every notebook runtime registers before its first cell, by Python name. Python
// imports them like any module (`import _bpn_torch`) and calls straight into TypeScript: pass integer
// handles and numbers across, not proxies (a call with two ints costs ~0.3 us; see the report in runtime.ts).
//
// The torch shim's bridge is registered here, once, for Node and the browser alike:
//   export const JS_MODULES = { _bpn_torch: (py) => createTorchBridge(py) };
// The factory gets the runtime's Pyodide (for getBuffer / toPy when a bridge needs them); it runs after the
// interpreter is up and before the kernel and any cell, so a shim may `import _bpn_torch` at its top.

import type { PyodideAPI } from 'pyodide';

/** name -> a factory called once per runtime (so each runtime gets its own state) */
export const JS_MODULES: Readonly<Record<string, (py: PyodideAPI) => object>> = {};
