// The JavaScript modules every notebook runtime registers before its first cell, by Python name. Python
// imports them like any module (`import _bpn_torch`) and calls straight into TypeScript: integer handles and
// numbers across, not proxies.

import { createNumpyBridge } from './numpy-bridge.js';
import { createTorchBridge, type BridgeOptions } from './torch-bridge.js';

/** name -> a factory called once per runtime */
export function jsModules(opts: BridgeOptions = {}): Record<string, object> {
  return { _bpn_torch: createTorchBridge(opts), _bpn_numpy: createNumpyBridge() };
}
