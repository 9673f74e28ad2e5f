import { comparePositions, type EventStore, type JsonObject, type NewEvent, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ApplyContext, ProjectionDefinition } from '../projection';

/**
 * A small but realistic read model for the runner's own tests: per-stream counts, sums and the last name,
 * plus the list of applied event ids (no unique constraint on purpose: a duplicate apply must show up as a
 * difference, not as an error). Its apply is set-based, the way a real projection should write a batch.
 */
export class LedgerReadModel1767225600001 implements MigrationInterface {
  readonly name = 'LedgerReadModel1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('create schema if not exists ledger');
    await queryRunner.query(`
      create table ledger.accounts (
        stream        text not null,
        events        integer not null,
        balance       bigint not null,
        deposits      integer not null,
        name          text,
        last_event_id uuid not null,
        constraint "PK_ledger_accounts" primary key (stream),
        constraint "CHK_ledger_accounts_events" check (events > 0)
      )`);
    await queryRunner.query('create index "IDX_ledger_accounts_balance" on ledger.accounts (balance)');
    await queryRunner.query(`
      create table ledger.applied_events (
        event_id         uuid not null,
        stream           text not null,
        event_type       text not null,
        commit_position  numeric(20, 0) not null,
        prepare_position numeric(20, 0) not null
      )`);
    await queryRunner.query('create index "IDX_ledger_applied_events_event" on ledger.applied_events (event_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop schema ledger cascade');
  }
}

export const ledgerMigrations = [LedgerReadModel1767225600001];

export interface LedgerOptions {
  readonly name?: string;
  /** Makes apply throw for matching events: a poison event for the failure tests. */
  readonly failOn?: (event: RecordedEvent) => boolean;
  /** Multiplies deposits; a test changes it to show that a rebuild picks up changed projection logic. */
  readonly depositFactor?: () => number;
  /** Called for each applied batch (e.g. to slow the live runner down in a test). */
  readonly onBatch?: (events: readonly RecordedEvent[]) => void | Promise<void>;
}

interface AccountDelta {
  events: number;
  balance: number;
  deposits: number;
  name: string | null;
  lastEventId: string;
}

export function ledgerProjection(options: LedgerOptions = {}): ProjectionDefinition {
  return {
    name: options.name ?? 'ledger',
    schema: 'ledger',
    tables: ['accounts', 'applied_events'],
    filter: { streamPrefixes: ['account-'] },
    async apply(events: readonly RecordedEvent[], { manager, schema }: ApplyContext): Promise<void> {
      await options.onBatch?.(events);
      const factor = options.depositFactor?.() ?? 1;
      const deltas = new Map<string, AccountDelta>();
      for (const event of events) {
        if (options.failOn?.(event)) throw new Error(`ledger cannot apply event ${event.id} (${event.type})`);
        const delta = deltas.get(event.stream) ?? { events: 0, balance: 0, deposits: 0, name: null, lastEventId: event.id };
        delta.events += 1;
        delta.lastEventId = event.id;
        const amount = typeof event.data['amount'] === 'number' ? event.data['amount'] : 0;
        if (event.type === 'Deposited') {
          delta.balance += amount * factor;
          delta.deposits += 1;
        } else if (event.type === 'Withdrawn') {
          delta.balance -= amount;
        } else if (event.type === 'Renamed' && typeof event.data['name'] === 'string') {
          delta.name = event.data['name'];
        }
        deltas.set(event.stream, delta);
      }
      const streams = [...deltas.keys()];
      const rows = [...deltas.values()];
      await manager.query(
        `insert into ${schema}.accounts as a (stream, events, balance, deposits, name, last_event_id)
         select * from unnest($1::text[], $2::int[], $3::bigint[], $4::int[], $5::text[], $6::uuid[])
         on conflict (stream) do update set events = a.events + excluded.events, balance = a.balance + excluded.balance,
           deposits = a.deposits + excluded.deposits, name = coalesce(excluded.name, a.name), last_event_id = excluded.last_event_id`,
        [streams, rows.map((r) => r.events), rows.map((r) => r.balance), rows.map((r) => r.deposits), rows.map((r) => r.name), rows.map((r) => r.lastEventId)],
      );
      await manager.query(
        `insert into ${schema}.applied_events (event_id, stream, event_type, commit_position, prepare_position)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::numeric[], $5::numeric[])`,
        [
          events.map((e) => e.id),
          events.map((e) => e.stream),
          events.map((e) => e.type),
          events.map((e) => e.position.commit.toString()),
          events.map((e) => e.position.prepare.toString()),
        ],
      );
    },
  };
}

/** The factory the crash harness loads by name (a factory takes no arguments). */
export function createLedgerProjection(): ProjectionDefinition {
  return ledgerProjection();
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LedgerLoad {
  readonly events: number;
  readonly streams: number;
  /** Appends running at once. Default 8. */
  readonly concurrency?: number;
  readonly random?: () => number;
  /** Also append this many events to a stream the ledger's filter ignores. Default 0. */
  readonly ignoredEvents?: number;
}

/**
 * Appends `events` ledger events over `streams` account streams, 1-4 per append, from several concurrent
 * writers: deposits and withdrawals mostly, renames and notes now and then. Returns the last position.
 */
export async function appendLedgerEvents(store: EventStore, load: LedgerLoad): Promise<Position> {
  const random = load.random ?? Math.random;
  const appends: { stream: string; events: NewEvent[] }[] = [];
  let remaining = load.events;
  let sequence = 0;
  while (remaining > 0) {
    const size = Math.min(remaining, 1 + Math.floor(random() * 4));
    const stream = `account-${Math.floor(random() * load.streams)}`;
    const events = Array.from({ length: size }, () => ledgerEvent(random, sequence++));
    appends.push({ stream, events });
    remaining -= size;
  }
  for (let i = 0; i < (load.ignoredEvents ?? 0); i++) appends.push({ stream: 'other-noise', events: [ledgerEvent(random, sequence++)] });
  let last: Position | null = null;
  let next = 0;
  const writer = async () => {
    while (next < appends.length) {
      const append = appends[next++];
      if (!append) break;
      const result = await store.append(append.stream, append.events, { expectedRevision: 'any' });
      if (!last || comparePositions(result.position, last) > 0) last = result.position;
    }
  };
  await Promise.all(Array.from({ length: load.concurrency ?? 8 }, writer));
  // Not headPosition(): a transaction running elsewhere on the server may still hide the newest events.
  if (!last) throw new Error('appendLedgerEvents: nothing was appended');
  return last;
}

function ledgerEvent(random: () => number, sequence: number): NewEvent {
  const roll = random();
  const type = roll < 0.55 ? 'Deposited' : roll < 0.9 ? 'Withdrawn' : roll < 0.97 ? 'Renamed' : 'Noted';
  const data: JsonObject =
    type === 'Renamed' ? { name: `Onderneming ${sequence}` } : type === 'Noted' ? { note: `note ${sequence}` } : { amount: 1 + Math.floor(random() * 1000) };
  return {
    id: uuidFrom(random),
    type,
    data,
    metadata: { correlationId: `load-${sequence}`, causationId: null, actor: { userId: 'test', organisationId: null, roles: [] }, schemaVersion: 1 },
  };
}

/** A version-4 UUID from the seeded generator, so a run is reproducible. */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
