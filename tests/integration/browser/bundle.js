// Packs the CommonJS sources of an npm package into one script for the page.
//
// The jssip package on npm ships only its CommonJS lib/ (no browser bundle),
// and the test tree installs no bundler, so this walks require() calls from
// the entry file, wraps each module in a function and emits a small loader.
// A package's "browser" field wins over "main", as a browser bundler would
// do (the debug package needs it: its Node entry uses tty and util).
'use strict';

const fs = require('fs');
const path = require('path');

const kRequire = /\brequire\(\s*(['"])([^'"]+)\1\s*\)/g;

function firstFile(candidates) {
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch (e) {
      // Not this one; try the next spelling.
    }
  }
  return null;
}

function asFile(base) {
  return firstFile([base, base + '.js', base + '.json', path.join(base, 'index.js')]);
}

function packageEntry(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const entry = typeof pkg.browser === 'string' ? pkg.browser : pkg.main || 'index.js';
  return asFile(path.join(dir, entry));
}

// Resolves `spec` as required from `fromFile`; null when it cannot be found
// (a require() in a comment, or one the browser path never reaches).
function resolve(fromFile, spec, nodeModules) {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    return asFile(path.resolve(path.dirname(fromFile), spec));
  }
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const dir = path.join(nodeModules, ...parts.slice(0, nameLength));
  if (parts.length > nameLength) return asFile(path.join(dir, ...parts.slice(nameLength)));
  try {
    return packageEntry(dir);
  } catch (e) {
    return null;
  }
}

// Returns the text of a script that sets window[globalName] to the exports
// of the package `name` found in `nodeModules`.
function bundlePackage(nodeModules, name, globalName) {
  const modules = [];
  const ids = new Map();

  function add(file) {
    if (ids.has(file)) return ids.get(file);
    const id = modules.length;
    ids.set(file, id);
    modules.push(null);
    const source = fs.readFileSync(file, 'utf8');
    const deps = {};
    let body = source;
    if (file.endsWith('.json')) {
      body = 'module.exports = ' + source + ';';
    } else {
      for (const m of source.matchAll(kRequire)) {
        const target = resolve(file, m[2], nodeModules);
        if (target) deps[m[2]] = add(target);
      }
    }
    modules[id] = {file: path.relative(nodeModules, file), body, deps};
    return id;
  }

  const entry = resolve(path.join(nodeModules, 'index.js'), name, nodeModules);
  if (!entry) throw new Error('package not found: ' + name + ' in ' + nodeModules);
  add(entry);

  const defs = modules.map(
      (m) => '[function (require, module, exports) {\n// ' + m.file + '\n' + m.body +
          '\n}, ' + JSON.stringify(m.deps) + ']');
  return [
    '(function () {',
    '  \'use strict\';',
    '  var process = {env: {}};',
    '  var defs = [' + defs.join(',\n') + '];',
    '  var cache = [];',
    '  function load(id) {',
    '    if (cache[id]) return cache[id].exports;',
    '    var module = cache[id] = {exports: {}};',
    '    var deps = defs[id][1];',
    '    defs[id][0].call(module.exports, function (spec) {',
    '      if (!(spec in deps)) throw new Error("not bundled: " + spec);',
    '      return load(deps[spec]);',
    '    }, module, module.exports);',
    '    return module.exports;',
    '  }',
    '  window[' + JSON.stringify(globalName) + '] = load(0);',
    '})();',
    '',
  ].join('\n');
}

module.exports = {bundlePackage};
