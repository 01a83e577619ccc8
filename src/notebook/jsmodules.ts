// The JavaScript modules every notebook runtime registers before its first cell, by Python name. Python
// imports them like any module (`import _bpn_torch`) and calls straight into TypeScript: integer handles and
// numbers across, not proxies.

import { createGraphvizModule, loadGraphviz } from './graphviz.js';
import { createNumpyBridge } from './numpy-bridge.js';
import { createTorchBinding, type BindingOptions } from './torch-binding.js';

/** name -> a factory called once per runtime */
export function jsModules(opts: BindingOptions = {}): Record<string, object> {
  return { _bpn_torch: createTorchBinding(opts), _bpn_graphviz: createGraphvizModule(), _bpn_numpy: createNumpyBridge() };
}

/** What the modules need before a synchronous call can use them (Graphviz's wasm); started at once, never rejects. */
export function jsModulesReady(): Promise<void> {
  return loadGraphviz();
}
