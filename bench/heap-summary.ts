import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 heap snapshot (.heapsnapshot): total self size and the largest groups by node type and
 * constructor/name, so a service's idle heap can be read without DevTools.
 * Usage: node -r @swc-node/register bench/heap-summary.ts <file> [top]
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}
const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: heap-summary <file.heapsnapshot> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = snapshot.snapshot.meta.node_fields;
const types = snapshot.snapshot.meta.node_types[0];
const width = fields.length;
const typeAt = fields.indexOf('type');
const nameAt = fields.indexOf('name');
const sizeAt = fields.indexOf('self_size');
const byType = new Map<string, number>();
const byName = new Map<string, number>();
let total = 0;
for (let i = 0; i < snapshot.nodes.length; i += width) {
  const type = types[snapshot.nodes[i + typeAt] as number] as string;
  const size = snapshot.nodes[i + sizeAt] as number;
  const rawName = snapshot.strings[snapshot.nodes[i + nameAt] as number] ?? '';
  const name = type === 'code' || type === 'string' || type === 'concatenated string' || type === 'sliced string' ? `(${type})` : `${type}: ${rawName.slice(0, 60)}`;
  total += size;
  byType.set(type, (byType.get(type) ?? 0) + size);
  byName.set(name, (byName.get(name) ?? 0) + size);
}
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1).padStart(7)} MB`;
console.log(`${file}: ${mb(total)} in ${snapshot.nodes.length / width} objects`);
console.log('\nby type');
for (const [name, size] of [...byType].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${mb(size)}  ${name}`);
console.log('\nby type and name');
for (const [name, size] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${mb(size)}  ${name}`);
