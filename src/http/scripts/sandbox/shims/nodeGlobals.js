// Injected into the sandbox's module bundles (scripts/sandboxBuild.mjs): the `process` and `Buffer` that Node's
// browser polyfills look for. A script itself never gets `process` (see runtime.ts).
import { Buffer } from 'buffer';

export const process = {
  env: {},
  browser: true,
  version: '',
  versions: {},
  platform: 'sandbox',
  argv: [],
  cwd: () => '/',
  nextTick: (fn, ...args) => Promise.resolve().then(() => fn(...args)),
};

export { Buffer };
