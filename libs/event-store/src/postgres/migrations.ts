import type { Pool } from 'pg';

/**
 * The event store's own schema, versioned. Applied under an advisory lock so that several services
 * starting at once against one database migrate exactly once. The library owns these tables; read
 * models live in their services' schemas and use TypeORM migrations.
 */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const EVENT_STORE_SCHEMA = 'event_store';
export const APPENDED_CHANNEL = 'event_store_appended';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events table and append function',
    sql: `
      create table event_store.events (
        position        bigint generated always as identity primary key,
        transaction_id  xid8 not null default pg_current_xact_id(),
        event_id        uuid not null,
        stream_name     text not null,
        stream_revision bigint not null check (stream_revision >= 0),
        event_type      text not null,
        data            jsonb not null,
        metadata        jsonb not null,
        recorded_at     timestamptz not null default now(),
        constraint events_stream_revision_key unique (stream_name, stream_revision),
        constraint events_stream_event_id_key unique (stream_name, event_id)
      );
      -- Global order: by appending transaction, then by sequence (see README.md).
      create index events_global_order on event_store.events (transaction_id, position);

      -- One round trip per append. p_expected: -1 any, -2 no_stream, -3 stream_exists, >= 0 exact revision.
      create function event_store.append_events(
        p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
      ) returns table (outcome text, revision bigint, commit_position text, prepare_position bigint)
      language plpgsql as $fn$
      declare
        v_found int;
        v_offsets int;
        v_current bigint;
      begin
        select count(*), count(distinct e.stream_revision - u.ord)
          into v_found, v_offsets
          from unnest(p_ids) with ordinality as u(id, ord)
          join event_store.events e on e.stream_name = p_stream and e.event_id = u.id;
        if v_found > 0 then
          if v_found = cardinality(p_ids) and v_offsets = 1 then
            return query
              select 'duplicate', e.stream_revision, e.transaction_id::text, e.position
                from event_store.events e
               where e.stream_name = p_stream and e.event_id = p_ids[cardinality(p_ids)];
          else
            return query select 'id_conflict', null::bigint, null::text, null::bigint;
          end if;
          return;
        end if;

        select max(e.stream_revision) into v_current from event_store.events e where e.stream_name = p_stream;
        if (p_expected = -2 and v_current is not null)
           or (p_expected = -3 and v_current is null)
           or (p_expected >= 0 and v_current is distinct from p_expected) then
          return query select 'wrong_expected_revision', v_current, null::text, null::bigint;
          return;
        end if;

        return query
          with inserted as (
            insert into event_store.events (event_id, stream_name, stream_revision, event_type, data, metadata)
            select u.id, p_stream, coalesce(v_current, -1) + u.ord, u.t, u.d, u.m
              from unnest(p_ids, p_types, p_data, p_metadata) with ordinality as u(id, t, d, m, ord)
             order by u.ord
            returning event_store.events.stream_revision, event_store.events.transaction_id, event_store.events.position
          )
          select 'appended', i.stream_revision, i.transaction_id::text, i.position
            from inserted i order by i.stream_revision desc limit 1;
        perform pg_notify('${APPENDED_CHANNEL}', '');
      end
      $fn$;
    `,
  },
  {
    version: 2,
    name: 'append without NOTIFY inside the transaction',
    // A NOTIFY inside the appending transaction holds PostgreSQL's database-wide notify lock through the
    // commit and its WAL flush, so concurrent appends commit one at a time (8 writers measured at 0.41x
    // plain INSERTs; bench/). The store now notifies after the commit, coalesced, from the client
    // (PostgresEventStore.announce). The six-argument form keeps notifying for direct SQL callers.
    sql: `
      create function event_store.append_events(
        p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_notify boolean
      ) returns table (outcome text, revision bigint, commit_position text, prepare_position bigint)
      language plpgsql as $fn$
      declare
        v_found int;
        v_offsets int;
        v_current bigint;
      begin
        select count(*), count(distinct e.stream_revision - u.ord)
          into v_found, v_offsets
          from unnest(p_ids) with ordinality as u(id, ord)
          join event_store.events e on e.stream_name = p_stream and e.event_id = u.id;
        if v_found > 0 then
          if v_found = cardinality(p_ids) and v_offsets = 1 then
            return query
              select 'duplicate', e.stream_revision, e.transaction_id::text, e.position
                from event_store.events e
               where e.stream_name = p_stream and e.event_id = p_ids[cardinality(p_ids)];
          else
            return query select 'id_conflict', null::bigint, null::text, null::bigint;
          end if;
          return;
        end if;

        select max(e.stream_revision) into v_current from event_store.events e where e.stream_name = p_stream;
        if (p_expected = -2 and v_current is not null)
           or (p_expected = -3 and v_current is null)
           or (p_expected >= 0 and v_current is distinct from p_expected) then
          return query select 'wrong_expected_revision', v_current, null::text, null::bigint;
          return;
        end if;

        return query
          with inserted as (
            insert into event_store.events (event_id, stream_name, stream_revision, event_type, data, metadata)
            select u.id, p_stream, coalesce(v_current, -1) + u.ord, u.t, u.d, u.m
              from unnest(p_ids, p_types, p_data, p_metadata) with ordinality as u(id, t, d, m, ord)
             order by u.ord
            returning event_store.events.stream_revision, event_store.events.transaction_id, event_store.events.position
          )
          select 'appended', i.stream_revision, i.transaction_id::text, i.position
            from inserted i order by i.stream_revision desc limit 1;
        if p_notify then
          perform pg_notify('${APPENDED_CHANNEL}', '');
        end if;
      end
      $fn$;

      create or replace function event_store.append_events(
        p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
      ) returns table (outcome text, revision bigint, commit_position text, prepare_position bigint)
      language sql as $fn$
        select * from event_store.append_events(p_stream, p_expected, p_ids, p_types, p_data, p_metadata, true)
      $fn$;
    `,
  },
  {
    version: 3,
    name: 'append takes one JSON document and checks event ids only when it has to',
    // Measured on 100-event appends (bench/): looking up every event id before each insert cost about a
    // fifth of the time, and passing four parallel arrays (each JSON text escaped into an array literal)
    // more than one JSON document does. The unique (stream, event id) constraint already refuses a re-sent
    // id, so the lookup runs only when the revision does not match (a retry of an append that landed) or
    // after such a refusal, when the store asks again with p_check_duplicates (PostgresEventStore.append).
    // p_events: [{ "id": uuid, "type": text, "data": {...}, "metadata": {...} }, ...] in stream order.
    sql: `
      create function event_store.append_events(
        p_stream text, p_expected bigint, p_events jsonb, p_notify boolean, p_check_duplicates boolean
      ) returns table (outcome text, revision bigint, commit_position text, prepare_position bigint)
      language plpgsql as $fn$
      declare
        v_found int;
        v_offsets int;
        v_current bigint;
        v_mismatch boolean;
      begin
        select max(e.stream_revision) into v_current from event_store.events e where e.stream_name = p_stream;
        v_mismatch := (p_expected = -2 and v_current is not null)
                      or (p_expected = -3 and v_current is null)
                      or (p_expected >= 0 and v_current is distinct from p_expected);
        if p_check_duplicates or v_mismatch then
          select count(*), count(distinct e.stream_revision - u.ord)
            into v_found, v_offsets
            from jsonb_array_elements(p_events) with ordinality as u(item, ord)
            join event_store.events e on e.stream_name = p_stream and e.event_id = (u.item->>'id')::uuid;
          if v_found > 0 then
            if v_found = jsonb_array_length(p_events) and v_offsets = 1 then
              return query
                select 'duplicate', e.stream_revision, e.transaction_id::text, e.position
                  from event_store.events e
                 where e.stream_name = p_stream and e.event_id = (p_events->-1->>'id')::uuid;
            else
              return query select 'id_conflict', null::bigint, null::text, null::bigint;
            end if;
            return;
          end if;
        end if;
        if v_mismatch then
          return query select 'wrong_expected_revision', v_current, null::text, null::bigint;
          return;
        end if;

        return query
          with inserted as (
            insert into event_store.events (event_id, stream_name, stream_revision, event_type, data, metadata)
            select (u.item->>'id')::uuid, p_stream, coalesce(v_current, -1) + u.ord, u.item->>'type', u.item->'data', u.item->'metadata'
              from jsonb_array_elements(p_events) with ordinality as u(item, ord)
             order by u.ord
            returning event_store.events.stream_revision, event_store.events.transaction_id, event_store.events.position
          )
          select 'appended', max(i.stream_revision), min(i.transaction_id::text), max(i.position) from inserted i;
        if p_notify then
          perform pg_notify('${APPENDED_CHANNEL}', '');
        end if;
      end
      $fn$;
    `,
  },
];

export async function migrateEventStore(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // Serialises concurrent starters; the key is arbitrary but fixed for this library.
    await client.query('select pg_advisory_lock(7150411)');
    await client.query(`create schema if not exists ${EVENT_STORE_SCHEMA}`);
    await client.query(
      `create table if not exists ${EVENT_STORE_SCHEMA}.schema_migrations (
         version int primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const { rows } = await client.query<{ version: number }>(`select version from ${EVENT_STORE_SCHEMA}.schema_migrations`);
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('begin');
      try {
        await client.query(migration.sql);
        await client.query(`insert into ${EVENT_STORE_SCHEMA}.schema_migrations (version, name) values ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock(7150411)').catch(() => undefined);
    client.release();
  }
}
