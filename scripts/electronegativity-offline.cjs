// Preloaded into Electronegativity: its only network calls (fresh translations, Electron release
// notes) would hang on an offline machine and crash `got` on Node 24. Answer them "offline" at once;
// the bundled English strings and the checks themselves need no network.
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'got' && parent && parent.filename.includes('electronegativity')) {
    const offline = () => Promise.reject(new Error('offline: not fetched'));
    return { __esModule: true, default: offline };
  }
  return load.call(this, request, parent, isMain);
};
