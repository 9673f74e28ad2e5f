import { readFileSync } from 'node:fs';
import { startNetwork, type ExtraGateway, type ServiceName } from '@koppelstuk/testing';
import { ensureBuilt } from '../support/build';
import { onInterrupt, type BenchContext } from '../support/context';
import { cpuMs, MemorySampler } from '../support/processes';
import { median, p99, rate } from '../support/stats';
import { formatNumber, mb, ms, perSecond, ratio, type BenchTable } from '../support/table';

// autocannon has no type declarations; this is the part of its API used here.
const autocannon = require('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;
interface AutocannonOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

const CITY = 'gm0141-almelo';
const PARTNER = 'rabobank';
const SERVICE = 'rabobank-bedrijfsfinanciering';
const LOAD = { commandsPerSecond: 100, durationMs: 60_000, pollers: 1, pollMs: 10, visibleWithinMs: 10_000 };
const IDLE_MS = 60_000;
const GATEWAY_LOAD = { connections: 10, seconds: 5, rounds: 4 };
/** Shorter runs at lower rates first, to show where the goal holds on this machine. */
const STEPS = { rates: [20, 40, 60], durationMs: 8_000 };
const MEMORY_GOAL = 150 * 1_048_576;

const MAKE = `mutation($input: MakeReferralInput!) { makeReferral(input: $input) { referral { id } } }`;
/** The partner's newest referrals: every command in flight is among them (sorted by last activity, newest first). */
const NEWEST = `query($after: String) { inbox(first: 100, after: $after) { edges { node { lastActivityAt entrepreneur { kvkNumber } } } pageInfo { hasNextPage endCursor } } }`;
const INBOX_PAGE = `{ inbox(first: 20) { totalCount edges { node { id status sentAt slaDueAt overdue lastActivityAt entrepreneur { kvkNumber businessName } } } } }`;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function graphql(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLBody> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  return (await response.json()) as GraphQLBody;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function makeInput(kvk: string) {
  return {
    cityId: CITY,
    partnerId: PARTNER,
    serviceId: SERVICE,
    needCategory: 'financing',
    needDescription: `Werkkapitaal voor groei (bench ${kvk})`,
    entrepreneur: { kvkNumber: kvk, businessName: `Bench Onderneming ${kvk}`, sizeClass: 'small' },
    contact: { name: 'Bench Contactpersoon', email: 'bench@example.nl' },
    consent: {
      givenBy: 'Bench Contactpersoon',
      givenAt: new Date(Date.now() - 60_000).toISOString(),
      purpose: 'Doorverwijzing voor financiering',
      expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      anonymousStatistics: true,
    },
  };
}

interface CommandResult {
  readonly mutationMs: number;
  readonly visibleMs: number | null;
  readonly error: string | null;
}

/**
 * Commands started on a fixed schedule (open loop, whatever the previous ones are doing): each a makeReferral
 * by the city at the gateway. Meanwhile the partner's inbox query (its newest page, and older ones while a
 * command not seen yet could be there) is asked through the gateway by LOAD.pollers loops, each every
 * LOAD.pollMs after its previous answer; a referral counts as visible at the arrival of the first answer that
 * lists it (an upper bound: the answer may be up to its own latency old). One query serves every command in
 * flight, so the measurement does not multiply the load it measures.
 */
export async function commandLoad(gatewayUrl: string, city: string, partner: string, prefix: number, perSecond: number, durationMs: number): Promise<{ results: CommandResult[]; ms: number }> {
  const startedAt = new Map<string, number>();
  /** Wall-clock start of every command not seen yet (a referral's lastActivityAt is never earlier). */
  const unseenSince = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let polling = true;
  const pollers = Array.from({ length: LOAD.pollers }, async (_, i) => {
    await sleep((i * LOAD.pollMs) / LOAD.pollers);
    while (polling) {
      try {
        // The newest page, and older pages while they may still hold a command not seen yet (a backlog).
        let after: string | null = null;
        for (let page = 0; page < 20; page++) {
          const answer = await graphql(gatewayUrl, partner, NEWEST, { after });
          const arrived = performance.now();
          const inbox = answer.data?.['inbox'] as
            | { edges: { node: { lastActivityAt: string; entrepreneur: { kvkNumber: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
            | undefined;
          for (const edge of inbox?.edges ?? []) {
            const kvk = edge.node.entrepreneur.kvkNumber;
            if (!seenAt.has(kvk)) seenAt.set(kvk, arrived);
            unseenSince.delete(kvk);
          }
          const oldestShown = Date.parse(inbox?.edges[inbox.edges.length - 1]?.node.lastActivityAt ?? '');
          const oldestUnseen = Math.min(...unseenSince.values());
          if (!inbox?.pageInfo.hasNextPage || !(oldestShown >= oldestUnseen - 1_000)) break;
          after = inbox.pageInfo.endCursor;
        }
      } catch {
        // a slow answer is measured by the commands waiting for it
      }
      await sleep(LOAD.pollMs);
    }
  });
  const pending: Promise<{ kvk: string; mutationMs: number; error: string | null }>[] = [];
  const started = performance.now();
  for (let n = 0; n * (1000 / perSecond) < durationMs; n++) {
    const wait = started + n * (1000 / perSecond) - performance.now();
    if (wait > 0) await sleep(wait);
    const kvk = String(prefix * 1_000_000 + n).padStart(8, '0');
    startedAt.set(kvk, performance.now());
    unseenSince.set(kvk, Date.now());
    pending.push(
      graphql(gatewayUrl, city, MAKE, { input: makeInput(kvk) }).then(
        (made) => ({ kvk, mutationMs: performance.now() - (startedAt.get(kvk) as number), error: made.errors?.length ? (made.errors[0]?.extensions?.code ?? made.errors[0]?.message ?? 'error') : null }),
        (error: unknown) => ({ kvk, mutationMs: performance.now() - (startedAt.get(kvk) as number), error: (error as Error).message }),
      ),
    );
  }
  const made = await Promise.all(pending);
  for (const failed of made) if (failed.error !== null) unseenSince.delete(failed.kvk);
  const deadline = performance.now() + LOAD.visibleWithinMs;
  while (made.some((m) => m.error === null && !seenAt.has(m.kvk)) && performance.now() < deadline) await sleep(20);
  polling = false;
  await Promise.all(pollers);
  const results = made.map((m): CommandResult => {
    if (m.error !== null) return { mutationMs: m.mutationMs, visibleMs: null, error: m.error };
    const seen = seenAt.get(m.kvk);
    return seen === undefined
      ? { mutationMs: m.mutationMs, visibleMs: null, error: `not visible within ${LOAD.visibleWithinMs / 1000} s` }
      : { mutationMs: m.mutationMs, visibleMs: seen - (startedAt.get(m.kvk) as number), error: null };
  });
  return { results, ms: performance.now() - started };
}

/** Busy and total CPU time of the whole machine so far (/proc/stat), in ms summed over its cores. */
function machineCpu(): { busyMs: number; totalMs: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busyMs: busy * 10, totalMs: (busy + idle + iowait) * 10 };
}

async function roundTrips(url: string, token: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await graphql(url, token, '{ __typename }');
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/**
 * The network benchmarks, on one network (every service a process from the build, as `npm start` runs
 * them, on the bench's PostgreSQL server): 6. memory idle, 3. end-to-end latency under 100 commands/s
 * (with 6. memory under that load), 4. gateway throughput for Apollo and Hive against the inbox subgraph.
 */
export async function networkBenchmarks(context: BenchContext): Promise<BenchTable[]> {
  const profileArgs = (service: ServiceName) =>
    context.profile ? ['--cpu-prof', `--cpu-prof-dir=${context.profileDir}`, `--cpu-prof-name=service-${service}.profile`] : [];
  const network = await startNetwork({
    label: 'bench',
    server: context.server,
    distDir: ensureBuilt(),
    build: false,
    execArgv: profileArgs,
  });
  const extras: Record<string, ExtraGateway> = {};
  const forget = onInterrupt(async () => {
    await Promise.all(Object.values(extras).map((gateway) => gateway.stop()));
    await network.stop();
  });
  try {
    context.log(`network up (gateway ${network.gatewayUrl}); starting an Apollo and a Hive gateway beside it`);
    extras['apollo'] = await network.startGateway({ GATEWAY_RUNTIME: 'apollo' }, 'gateway-apollo');
    extras['hive'] = await network.startGateway({ GATEWAY_RUNTIME: 'hive' }, 'gateway-hive');
    const city = await network.token(CITY, 'city_officer');
    const partner = await network.token(PARTNER, 'partner_agent');

    // 6. Idle: nothing but the services' own timers, long enough for V8 to give startup garbage back.
    const allPids: Record<string, number> = {
      ...network.pids,
      'gateway (Apollo, beside)': (extras['apollo'] as ExtraGateway).pid,
      'gateway (Hive, beside)': (extras['hive'] as ExtraGateway).pid,
    };
    context.log(`memory: ${IDLE_MS / 1000} s idle`);
    const idle = new MemorySampler(allPids);
    idle.start(1000);
    await sleep(IDLE_MS);
    const idleSamples = idle.stop();

    // 3. End to end, with 6. memory under that load.
    await commandLoad(network.gatewayUrl, city, partner, 99, 20, 2_000); // warm-up: connections, JIT, plans
    const floor = await roundTrips(network.gatewayUrl, partner, 300);
    const steps: { perSecond: number; visible: number[]; failed: number }[] = [];
    for (const [i, perSecond] of STEPS.rates.entries()) {
      const step = await commandLoad(network.gatewayUrl, city, partner, 20 + i, perSecond, STEPS.durationMs);
      const visible = step.results.flatMap((r) => (r.visibleMs === null ? [] : [r.visibleMs]));
      steps.push({ perSecond, visible, failed: step.results.filter((r) => r.error !== null).length });
      context.log(`end to end at ${perSecond}/s for ${STEPS.durationMs / 1000} s: median ${median(visible).toFixed(1)} ms, p99 ${p99(visible).toFixed(1)} ms`);
      await sleep(2_000);
    }
    context.log(`end to end: ${LOAD.commandsPerSecond} commands/s for ${LOAD.durationMs / 1000} s`);
    const loaded = new MemorySampler(network.pids);
    loaded.start(1000);
    const cpuBefore = Object.fromEntries(Object.entries(network.pids).map(([name, pid]) => [name, cpuMs(pid)]));
    const machineBefore = machineCpu();
    const benchBefore = process.cpuUsage();
    const load = await commandLoad(network.gatewayUrl, city, partner, 10, LOAD.commandsPerSecond, LOAD.durationMs);
    const benchCpu = process.cpuUsage(benchBefore);
    const machineAfter = machineCpu();
    const cpuDuringLoad = Object.fromEntries(Object.entries(network.pids).map(([name, pid]) => [name, cpuMs(pid) - (cpuBefore[name] ?? 0)]));
    cpuDuringLoad['bench (load generator)'] = (benchCpu.user + benchCpu.system) / 1000;
    const loadSamples = loaded.stop();
    const failed = load.results.filter((r) => r.error !== null);
    const visible = load.results.flatMap((r) => (r.visibleMs === null ? [] : [r.visibleMs]));
    const mutations = load.results.filter((r) => r.error === null).map((r) => r.mutationMs);
    context.log(`end to end: ${visible.length} visible, median ${median(visible).toFixed(1)} ms, p99 ${p99(visible).toFixed(1)} ms; ${failed.length} failed`);

    // 4. Gateway throughput: the same inbox page straight at the subgraph and through each gateway.
    const targets: [string, string, number | null][] = [
      ['inbox subgraph, direct', network.subgraphUrls.inbox, null],
      ['Apollo Gateway', `${(extras['apollo'] as ExtraGateway).url}/graphql`, (extras['apollo'] as ExtraGateway).pid],
      ['Hive Gateway', `${(extras['hive'] as ExtraGateway).url}/graphql`, (extras['hive'] as ExtraGateway).pid],
    ];
    for (const [name, url] of targets) {
      const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${partner}` }, body: JSON.stringify({ query: INBOX_PAGE }) });
      const body = (await check.json()) as GraphQLBody;
      if (check.status !== 200 || body.errors) throw new Error(`${name} does not answer the inbox page: ${check.status} ${JSON.stringify(body.errors)}`);
    }
    const cannon: Record<string, AutocannonResult[]> = {};
    const cpu: Record<string, { gateway: number; inbox: number }> = {};
    for (let round = 0; round < GATEWAY_LOAD.rounds; round++) {
      for (const [name, url, pid] of targets) {
        const before = { gateway: pid ? cpuMs(pid) : 0, inbox: cpuMs(network.pids.inbox) };
        const result = await autocannon({
          url,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${partner}` },
          body: JSON.stringify({ query: INBOX_PAGE }),
          connections: GATEWAY_LOAD.connections,
          duration: GATEWAY_LOAD.seconds,
        });
        (cannon[name] ??= []).push(result);
        const spent = (cpu[name] ??= { gateway: 0, inbox: 0 });
        spent.gateway += pid ? cpuMs(pid) - before.gateway : 0;
        spent.inbox += cpuMs(network.pids.inbox) - before.inbox;
        context.log(`gateway: ${name} ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`);
      }
    }

    return [
      endToEndTable(load.results.length, load.ms, mutations, visible, failed, floor, steps, cpuDuringLoad, {
        busyMs: machineAfter.busyMs - machineBefore.busyMs,
        totalMs: machineAfter.totalMs - machineBefore.totalMs,
      }),
      gatewayTable(targets.map(([name]) => name), cannon, cpu),
      memoryTable(idleSamples, loadSamples),
    ];
  } finally {
    forget();
    await Promise.all(Object.values(extras).map((gateway) => gateway.stop()));
    await network.stop();
  }
}

function endToEndTable(
  commands: number,
  elapsedMs: number,
  mutations: number[],
  visible: number[],
  failed: CommandResult[],
  floor: number[],
  steps: { perSecond: number; visible: number[]; failed: number }[],
  cpu: Record<string, number>,
  machine: { busyMs: number; totalMs: number },
): BenchTable {
  const seconds = elapsedMs / 1000;
  const cpuNote = Object.entries(cpu)
    .sort((a, b) => b[1] - a[1])
    .map(([name, used]) => `${name} ${formatNumber(used / 1000 / seconds, 2)}`)
    .join(', ');
  const errors = [...new Set(failed.map((f) => f.error))].slice(0, 3).join('; ');
  return {
    title: '3. End to end',
    goal: 'p99 ≤ 100 ms from the mutation until the row is visible in the partner’s inbox query',
    columns: ['what', 'samples', 'median', 'p99', 'goal'],
    rows: [
      [`${LOAD.commandsPerSecond} commands/s for ${LOAD.durationMs / 1000} s: makeReferral → visible in the partner’s inbox query`, visible.length, ms(median(visible)), ms(p99(visible)), p99(visible) <= 100 ? 'met' : 'missed'],
      ['makeReferral response alone', mutations.length, ms(median(mutations)), ms(p99(mutations)), '–'],
      ['baseline: `{ __typename }` round trip through the gateway (sequential)', floor.length, ms(median(floor)), ms(p99(floor)), '–'],
      ...steps.map((step) => [
        `${step.perSecond} commands/s for ${STEPS.durationMs / 1000} s: makeReferral → visible${step.failed ? ` (${step.failed} failed)` : ''}`,
        step.visible.length,
        ms(median(step.visible)),
        ms(p99(step.visible)),
        p99(step.visible) <= 100 ? 'met' : 'missed',
      ]),
    ],
    notes: [
      `${commands} commands started on a fixed schedule of ${LOAD.commandsPerSecond}/s for ${LOAD.durationMs / 1000} s (${perSecond(rate(commands, elapsedMs))} achieved including the drain), ` +
        `each a makeReferral by the city at the gateway; the partner’s inbox query (its newest page of 100, and older pages only while a command not seen yet could be on them) through the gateway by ${LOAD.pollers === 1 ? 'one poller' : `${LOAD.pollers} pollers, each`} every ${LOAD.pollMs} ms after its last answer; ` +
        `a referral is visible at the arrival of the first answer listing it (so the figure includes polling granularity and the poll’s own latency). Failed: ${failed.length}${errors ? ` (${errors})` : ''}.`,
      `CPU during the ${LOAD.commandsPerSecond}/s run, in cores (CPU seconds per second): ${cpuNote}; the whole machine was ` +
        `${formatNumber((100 * machine.busyMs) / Math.max(machine.totalMs, 1), 0)}% busy (PostgreSQL and anything else running makes up the rest).`,
    ],
  };
}

function gatewayTable(names: string[], cannon: Record<string, AutocannonResult[]>, cpu: Record<string, { gateway: number; inbox: number }>): BenchTable {
  const summary = (name: string) => {
    const runs = cannon[name] ?? [];
    const total = runs.reduce((sum, r) => sum + r.requests.total, 0);
    const seconds = runs.reduce((sum, r) => sum + r.duration, 0);
    return {
      rps: total / Math.max(seconds, 1e-9),
      p50: median(runs.map((r) => r.latency.p50)),
      p99: Math.max(...runs.map((r) => r.latency.p99)),
      bad: runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
      total,
    };
  };
  const direct = summary(names[0] as string);
  const apollo = summary('Apollo Gateway');
  const hive = summary('Hive Gateway');
  return {
    title: '4. Gateway',
    goal: 'choose the faster runtime (if the whole e2e suite passes with it)',
    columns: ['target', 'requests', 'req/s', 'median', 'p99', 'failed', 'vs direct', 'gateway CPU per request', 'inbox CPU per request'],
    rows: names.map((name) => {
      const s = summary(name);
      const spent = cpu[name] ?? { gateway: Number.NaN, inbox: Number.NaN };
      return [
        name,
        s.total,
        perSecond(s.rps),
        `${formatNumber(s.p50, 0)} ms`,
        `${formatNumber(s.p99, 0)} ms`,
        s.bad,
        ratio(s.rps / direct.rps),
        name === names[0] ? '–' : ms(spent.gateway / s.total),
        ms(spent.inbox / s.total),
      ];
    }),
    notes: [
      `Faster in this run: ${hive.rps > apollo.rps * 1.05 ? 'Hive Gateway' : apollo.rps > hive.rps * 1.05 ? 'Apollo Gateway' : 'neither by more than 5%'}. ` +
        `Hive Gateway ÷ Apollo Gateway: ${ratio(hive.rps / apollo.rps)} the requests per second, ` +
        `${ratio((cpu['Hive Gateway']?.gateway ?? Number.NaN) / hive.total / ((cpu['Apollo Gateway']?.gateway ?? Number.NaN) / apollo.total))} the gateway CPU time per request ` +
        '(user + system time of the gateway process from /proc/<pid>/stat over its runs, divided by its requests: the runtime’s own cost, whichever process is the bottleneck).',
      `autocannon, ${GATEWAY_LOAD.connections} connections, ${GATEWAY_LOAD.rounds} rounds of ${GATEWAY_LOAD.seconds} s per target taken in turn, ` +
        `the partner’s first inbox page (20 referrals of several thousand, non-personal fields) with a verified token; both gateways on the same supergraph and subgraphs. ` +
        'Median is the median of the rounds’ medians, p99 the worst round’s. The load generator shares the machine’s cores with the servers.',
    ],
  };
}

function memoryTable(idle: Map<string, number[]>, loaded: Map<string, number[]>): BenchTable {
  const rows = [...idle.keys()].map((name) => {
    const idleSamples = idle.get(name) ?? [];
    const settled = idleSamples[idleSamples.length - 1] ?? Number.NaN;
    const underLoad = loaded.get(name) ?? [];
    return [
      name,
      mb(settled),
      mb(Math.max(...idleSamples)),
      underLoad.length ? mb(median(underLoad)) : '–',
      underLoad.length ? mb(Math.max(...underLoad)) : '–',
      settled <= MEMORY_GOAL ? 'met' : 'missed',
    ];
  });
  return {
    title: '6. Memory',
    goal: '≤ 150 MB resident per service when idle',
    columns: ['process', 'idle (settled)', 'idle (peak)', 'end-to-end load (median)', 'end-to-end load (peak)', 'goal'],
    rows,
    notes: [
      `VmRSS from /proc/<pid>/status, sampled every second: idle for ${IDLE_MS / 1000} s after every service reported ready ("settled" is the last sample, "peak" the highest), ` +
        `then during the end-to-end load. "gateway" is the network's gateway with the default runtime; the two "beside" gateways run on the same subgraphs for the gateway benchmark and stay idle during the end-to-end load.`,
    ],
  };
}
