import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 CPU profile (.profile / .cpuprofile): self time per function and per file, so a
 * benchmark's profile can be read without DevTools. Usage: node -r @swc-node/register bench/profile-summary.ts <file> [top]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary <file.profile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = profile.endTime - profile.startTime;
const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules\/|libs\/|services\/|bench\/)/, '$1');
const fnKey = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const fileKey = (node: ProfileNode) => {
  const url = shortUrl(node.callFrame.url);
  if (!url) return node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : '(native)';
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return pkg ? `node_modules/${pkg[1]}` : url;
};
const sum = (key: (node: ProfileNode) => string) => {
  const totals = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node) totals.set(key(node), (totals.get(key(node)) ?? 0) + us);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
};
const print = (title: string, rows: [string, number][]) => {
  console.log(`\n${title}`);
  for (const [name, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms profiled`);
print('self time by package / file', sum(fileKey));
print('self time by function', sum(fnKey));
