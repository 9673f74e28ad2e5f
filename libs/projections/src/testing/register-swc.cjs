// Lets a plain `node` child process run this repository's TypeScript sources, the same way Jest does
// (same .swcrc, same tsconfig path aliases), without a build step or extra packages:
//   node --require libs/projections/src/testing/register-swc.cjs some-script.ts
// Only files of this repository outside node_modules are transformed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

function findRoot(dir) {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, 'tsconfig.base.json'))) return current;
    if (path.dirname(current) === current) throw new Error(`register-swc: no tsconfig.base.json above ${dir}`);
  }
}

const root = findRoot(__dirname);
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
const paths = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths ?? {};
const aliases = new Map(Object.entries(paths).map(([alias, [target]]) => [alias, path.join(root, target)]));

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithAliases(request, ...rest) {
  const target = aliases.get(request);
  return originalResolve.call(this, target ?? request, ...rest);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcrc, swcrc: false, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
