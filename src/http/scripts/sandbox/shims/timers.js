// `require('timers')` in a script: the sandbox's own timers (runtime.ts installs them on the context's global object).
const g = globalThis;
module.exports = {
  setTimeout: (...a) => g.setTimeout(...a),
  clearTimeout: (id) => g.clearTimeout(id),
  setInterval: (...a) => g.setInterval(...a),
  clearInterval: (id) => g.clearInterval(id),
  setImmediate: (...a) => g.setImmediate(...a),
  clearImmediate: (id) => g.clearImmediate(id),
};
