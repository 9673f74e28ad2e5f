import type { MigrationInterface, QueryRunner } from 'typeorm';
import { evolveReferral, REFERRAL_EVENT_TYPES, upcast, type Referral, type ReferralEvent } from '@koppelstuk/domain';
import type { RecordedEvent } from '@koppelstuk/event-store';
import type { ProjectionDefinition } from '@koppelstuk/projections';
import type { ReplayTarget } from '../../replay/replay-target';

/**
 * An inbox-like read model for the replay engine's tests: per referral its parties, status, outcomes and
 * financing, folded with the domain's own evolveReferral, plus a per-city summary (a second table, with a
 * composite key). Built the way a service builds one: a migration, a batched apply.
 */
export class ReferralStatusTables1764000000590 implements MigrationInterface {
  name = 'ReferralStatusTables1764000000590';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('create schema if not exists replaytest');
    await runner.query(`
      create table replaytest.referral_status (
        referral_id   uuid primary key,
        city_id       text not null,
        partner_id    text not null,
        status        text not null,
        outcomes      integer not null,
        amount_cents  bigint not null,
        overdue       boolean not null,
        last_event_at timestamptz not null,
        version       integer not null,
        state         jsonb not null
      )`);
    await runner.query(`
      create table replaytest.city_totals (
        city_id      text not null,
        need_category text not null,
        referrals    integer not null,
        constraint city_totals_pkey primary key (city_id, need_category)
      )`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop schema replaytest cascade');
  }
}

interface StatusRow {
  referral_id: string;
  city_id: string;
  partner_id: string;
  status: string;
  outcomes: number;
  amount_cents: number;
  overdue: boolean;
  last_event_at: string;
  version: number;
  state: Referral;
}

export const referralStatusProjection: ProjectionDefinition = {
  name: 'referral-status',
  schema: 'replaytest',
  tables: ['referral_status', 'city_totals'],
  filter: { streamPrefixes: ['referral-'], eventTypes: [...REFERRAL_EVENT_TYPES] },
  async apply(events: readonly RecordedEvent[], { manager, schema }) {
    const ids = [...new Set(events.map((event) => event.stream.slice('referral-'.length)))];
    // The folded state is kept in the row, so a batch needs nothing but the events and its own table.
    const stored = (await manager.query(`select referral_id, state, version from ${schema}.referral_status where referral_id = any($1::uuid[])`, [ids])) as {
      referral_id: string;
      state: Referral;
      version: number;
    }[];
    const states = new Map(stored.map((row) => [row.referral_id, { state: row.state, version: row.version }]));
    const rows = new Map<string, StatusRow>();
    const made = new Map<string, number>();
    for (const event of events) {
      const id = event.stream.slice('referral-'.length);
      const before = states.get(id);
      if (before && Number(event.revision) <= before.version) continue;
      const domain = { type: event.type, data: upcast(event.type, event.metadata.schemaVersion, event.data) } as unknown as ReferralEvent;
      const state = evolveReferral(before?.state ?? null, domain);
      if (!state) continue;
      if (event.type === 'ReferralMade') made.set(`${state.cityId}|${state.needCategory}`, (made.get(`${state.cityId}|${state.needCategory}`) ?? 0) + 1);
      states.set(id, { state, version: Number(event.revision) });
      rows.set(id, toRow(state, event));
    }
    if (rows.size > 0) {
      await manager.query(
        `insert into ${schema}.referral_status as r select * from jsonb_populate_recordset(null::${schema}.referral_status, $1::jsonb)
         on conflict (referral_id) do update set status = excluded.status, outcomes = excluded.outcomes, amount_cents = excluded.amount_cents,
           overdue = excluded.overdue, last_event_at = excluded.last_event_at, version = excluded.version, state = excluded.state`,
        [JSON.stringify([...rows.values()])],
      );
    }
    const totals = [...made.entries()].map(([key, referrals]) => ({ city_id: key.split('|')[0], need_category: key.split('|')[1], referrals }));
    if (totals.length > 0) {
      await manager.query(
        `insert into ${schema}.city_totals as t select * from jsonb_populate_recordset(null::${schema}.city_totals, $1::jsonb)
         on conflict (city_id, need_category) do update set referrals = t.referrals + excluded.referrals`,
        [JSON.stringify(totals)],
      );
    }
  },
};

function toRow(state: Referral, event: RecordedEvent): StatusRow {
  return {
    referral_id: state.referralId,
    city_id: state.cityId,
    partner_id: state.partnerId,
    status: state.status,
    outcomes: state.outcomes.length,
    amount_cents: state.outcomes.reduce((sum, outcome) => sum + (outcome.amountCents ?? 0), 0),
    overdue: state.overdue,
    last_event_at: event.recordedAt.toISOString(),
    version: Number(event.revision),
    state,
  };
}

export const referralStatusTarget: ReplayTarget = {
  projection: referralStatusProjection,
  migrations: [ReferralStatusTables1764000000590],
  migrationsTable: 'koppelstuk_replaytest_migrations',
};
