import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresEventStore, type EventStore, type Position } from '@koppelstuk/event-store';
import { inboxProjection, InboxTables1764000000200 } from '@koppelstuk/inbox-read-model';
import { projectionsMigration, ProjectionRunner, type ProjectionLogger } from '@koppelstuk/projections';
import { cityId, G40_CITIES, seedDirectory } from '@koppelstuk/seed';
import { ReferralWriter } from '@koppelstuk/testing';
import type { BenchContext } from '../support/context';
import { median, p99 } from '../support/stats';
import { ms, ratio, type BenchTable } from '../support/table';

const quietLogger: ProjectionLogger = { info: () => undefined, warn: () => undefined, error: (message) => process.stderr.write(`${message}\n`) };
/** Commands per second, each run for SECONDS on a fixed schedule (open loop: a slow answer does not slow the schedule). */
const RATES = [50, 100] as const;
const SECONDS = 5;
const TIMEOUT_MS = 30_000;

interface Run {
  readonly rate: number;
  readonly lags: number[];
}

/**
 * The read side's own delay: from the moment an append returns until the inbox projection has committed
 * the row (the runner's checkpoint passing the append's position; rows and checkpoint commit together).
 * No gateway, no polling. Baseline on the same server at the same rate: the least a push-based projection
 * can do, by hand: INSERT an event, NOTIFY after the commit, a LISTENing client SELECTs what is new,
 * upserts one row per event and commits.
 */
export async function lagBenchmark(context: BenchContext): Promise<BenchTable> {
  const database = await context.server.database('lag');
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.url,
    migrations: [projectionsMigration, InboxTables1764000000200],
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: 4,
  });
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 8, applicationName: 'bench-lag' });
  const baseline = await HandWrittenProjection.start(database.url);
  let runner: ProjectionRunner | null = null;
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    await seedDirectory(store);
    runner = new ProjectionRunner({ store, dataSource, projection: inboxProjection, logger: quietLogger });
    await runner.start();
    const live = runner;
    await live.waitForPosition((await store.headPosition()) as Position, TIMEOUT_MS);

    const ours: Run[] = [];
    const theirs: Run[] = [];
    for (const rate of RATES) {
      theirs.push({ rate, lags: await onSchedule(rate, () => baseline.appendAndWait()) });
      ours.push({ rate, lags: await onSchedule(rate, (i) => makeAndWait(store, live, i)) });
      const [o, b] = [ours.at(-1) as Run, theirs.at(-1) as Run];
      context.log(`lag at ${rate}/s: median ${median(o.lags).toFixed(1)} ms, p99 ${p99(o.lags).toFixed(1)} ms; baseline ${median(b.lags).toFixed(1)} / ${p99(b.lags).toFixed(1)} ms`);
    }
    return {
      title: '2a. Append to inbox row',
      goal: 'the delay the read side adds, beside the least a hand-written push projection needs',
      columns: ['what', 'samples', 'median', 'p99', 'baseline median', 'baseline p99', 'baseline ÷ ours (median)'],
      rows: ours.map((o, index) => {
        const b = theirs[index] as Run;
        return [
          `${o.rate} referrals/s for ${SECONDS} s: append returned → inbox row committed`,
          o.lags.length,
          ms(median(o.lags)),
          ms(p99(o.lags)),
          ms(median(b.lags)),
          ms(p99(b.lags)),
          ratio(median(b.lags) / median(o.lags)),
        ];
      }),
      notes: [
        'Ours: makeReferral written through the real deciders (libs/testing ReferralWriter: the subject stream with the consent, then the referral stream, personal data sealed) ' +
          'into PostgresEventStore; the ProjectionRunner of the inbox, woken by the store’s subscription, applies it; the lag is from the return of the referral’s append ' +
          'until runner.waitForPosition(its position) resolves, which happens when the batch’s rows and checkpoint have committed.',
        'Baseline: one INSERT into a copy of event_store.events and a NOTIFY after the commit; one LISTENing connection SELECTs the events appended and not yet applied (by their positions, known in-process: a lower bound) and upserts one row per ' +
          'event into a table keyed by event id, in one transaction; the lag is from the INSERT’s return until that transaction has committed.',
        `Bounded: ${RATES.map((rate) => rate * SECONDS).join(' + ')} commands per side, started on a fixed schedule; the baseline runs first at each rate.`,
      ],
    };
  } finally {
    await runner?.stop().catch(() => undefined);
    await baseline.stop();
    await store.close().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}

/** Starts `op(i)` every 1000/rate ms for SECONDS and returns each op's measured lag. */
async function onSchedule(rate: number, op: (i: number) => Promise<number>): Promise<number[]> {
  const count = rate * SECONDS;
  const started = performance.now();
  const runs: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    runs.push(op(i));
  }
  return Promise.all(runs);
}

async function makeAndWait(store: EventStore, runner: ProjectionRunner, i: number): Promise<number> {
  let last: Position | null = null;
  // Remembers the position of this command's last append (the referral's), whatever else runs at the same time.
  const recording: EventStore = Object.create(store, {
    append: {
      value: async (...args: Parameters<EventStore['append']>) => {
        const result = await store.append(...args);
        last = result.position;
        return result;
      },
    },
  });
  const writer = new ReferralWriter(recording);
  const city = G40_CITIES[i % G40_CITIES.length] as (typeof G40_CITIES)[number];
  const service = writer.servicesFor(city.code)[i % 3] ?? writer.servicesFor(city.code)[0];
  if (!service) throw new Error(`No service for ${city.code}`);
  await writer.make({
    cityId: cityId(city),
    partnerId: service.partnerId,
    serviceId: service.serviceId,
    needCategory: service.needCategories[0],
    kvkNumber: String(20_000_000 + i),
    businessName: `Onderneming ${i}`,
  });
  const appended = performance.now();
  await runner.waitForPosition(last as unknown as Position, TIMEOUT_MS);
  return performance.now() - appended;
}

/** The baseline: the smallest correct push projection, written by hand against the same server. */
class HandWrittenProjection {
  private readonly waiters = new Map<string, () => void>();
  private running: Promise<void> | null = null;
  private again = false;

  private constructor(
    private readonly pool: Pool,
    private readonly listener: Client,
    private readonly worker: Client,
  ) {}

  static async start(url: string): Promise<HandWrittenProjection> {
    const pool = new Pool({ connectionString: url, max: 8, application_name: 'bench-lag-baseline' });
    await pool.query('create schema bench_lag');
    await pool.query('create table bench_lag.events (like event_store.events including all)');
    await pool.query('create table bench_lag.rows (event_id uuid primary key, stream_name text not null, data jsonb not null, updated_at timestamptz not null)');
    const listener = new Client({ connectionString: url });
    const worker = new Client({ connectionString: url });
    await Promise.all([listener.connect(), worker.connect()]);
    const projection = new HandWrittenProjection(pool, listener, worker);
    listener.on('notification', () => projection.wake());
    await listener.query('listen bench_lag');
    return projection;
  }

  async appendAndWait(): Promise<number> {
    const { rows } = await this.pool.query<{ position: string }>(
      `insert into bench_lag.events (event_id, stream_name, stream_revision, event_type, data, metadata)
       values (gen_random_uuid(), 'referral-' || gen_random_uuid(), 0, 'ReferralMade', $1, $2) returning position`,
      [JSON.stringify({ cityId: 'gm0141-almelo', partnerId: 'rabobank', needCategory: 'financing' }), JSON.stringify({ correlationId: 'x', schemaVersion: 1 })],
    );
    const appended = performance.now();
    const position = (rows[0] as { position: string }).position;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baseline: event ${position} not applied within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.waiters.set(position, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await this.pool.query(`select pg_notify('bench_lag', '')`);
    await done;
    return performance.now() - appended;
  }

  private wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.apply().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async apply(): Promise<void> {
    await this.worker.query('begin');
    // Exactly the events appended and not yet applied (it knows them: they were appended in this process).
    // A real projection cannot know that much; as a lower bound it also need not guard against positions
    // that commit out of order.
    const { rows } = await this.worker.query<{ position: string; event_id: string; stream_name: string; data: unknown }>(
      'select position, event_id, stream_name, data from bench_lag.events where position = any($1::bigint[]) order by position',
      [[...this.waiters.keys()]],
    );
    if (rows.length > 0) {
      await this.worker.query(
        `insert into bench_lag.rows (event_id, stream_name, data, updated_at)
         select * from unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[])
         on conflict (event_id) do update set data = excluded.data, updated_at = excluded.updated_at`,
        [rows.map((r) => r.event_id), rows.map((r) => r.stream_name), rows.map((r) => JSON.stringify(r.data)), rows.map(() => new Date().toISOString())],
      );
    }
    await this.worker.query('commit');
    for (const row of rows) {
      this.waiters.get(row.position)?.();
      this.waiters.delete(row.position);
    }
  }

  async stop(): Promise<void> {
    await this.running?.catch(() => undefined);
    await Promise.all([this.listener.end(), this.worker.end()]).catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
