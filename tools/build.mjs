// Compiles the TypeScript of every service, library and tool into dist/ with swc (decorators and their
// metadata for NestJS, tsconfig path aliases rewritten to relative requires), keeping the source tree's
// layout so that each service runs as `node dist/services/<name>/src/main.js`. Type checking is
// `npm run typecheck`'s job; this only transpiles, in a few seconds.
import { transformFile } from '@swc/core';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out <dir>` builds elsewhere (e.g. the benchmarks' private copy, which a concurrent build of dist/ cannot
// pull from under running services). The directory must lie inside the checkout so that node_modules resolve.
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]) : join(root, 'dist');
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const roots = ['libs', 'services', 'tools'].map((dir) => join(root, dir));
const skip = (path) =>
  /(^|\/)(node_modules|dist|test|testing|portal)(\/|$)/.test(relative(root, path)) || /\.spec\.ts$/.test(path) || path === out;

function* files(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (skip(path)) continue;
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
const options = {
  swcrc: false,
  sourceMaps: true,
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
  module: { type: 'commonjs' },
};
let count = 0;
const jobs = [];
for (const dir of roots) {
  for (const file of files(dir)) {
    const target = join(out, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      jobs.push(
        transformFile(file, { ...options, filename: file }).then(({ code, map }) => {
          const js = target.replace(/\.ts$/, '.js');
          writeFileSync(js, `${code}\n//# sourceMappingURL=${relative(dirname(js), `${js}.map`)}\n`);
          if (map) writeFileSync(`${js}.map`, map);
          count++;
        }),
      );
    } else if (/\.(mjs|cjs|json)$/.test(file) && !file.endsWith('project.json') && !file.endsWith('tsconfig.json')) {
      cpSync(file, target);
    }
  }
}
await Promise.all(jobs);
console.log(`build: ${count} files compiled into ${relative(root, out) || '.'}/ in ${Date.now() - started} ms`);
