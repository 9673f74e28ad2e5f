import { comparePositions, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { ApplyContext, ProjectionDefinition } from '@koppelstuk/projections';
import { chainHash, GENESIS_HASH } from './chain-hash';
import { actorOf, partiesFromMade, type ChainRowData, type ReferralParties } from './chain-row';
import type { ChainSigner } from './chain-signer';
import { storeCheckpoints, type Sql } from './checkpoints';

export const CHAIN_PROJECTION_NAME = 'audit-chain';
export const AUDIT_SCHEMA = 'audit';
export const DEFAULT_CHECKPOINT_EVERY = 1000;

export interface ChainProjectionOptions {
  /** Signs a checkpoint every `checkpointEvery` events. Null for replays: they must leave no evidence behind. */
  readonly signer: ChainSigner | null;
  readonly checkpointEvery?: number;
}

interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
  readonly position: Position;
}

/**
 * The hash chain over the whole log (no filter: every event of every stream). Each event's hash depends
 * on the previous one, so the chain is computed strictly in log order, one event after the other, inside
 * the runner's batch transaction, starting from the last row stored (not from memory): a batch rolled back
 * and applied again computes exactly the same rows.
 */
export function chainProjection(options: ChainProjectionOptions): ProjectionDefinition {
  const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`checkpointEvery must be a positive integer, got ${every}`);
  return {
    name: CHAIN_PROJECTION_NAME,
    schema: AUDIT_SCHEMA,
    tables: ['chain'],
    async apply(events: readonly RecordedEvent[], { manager, schema }: ApplyContext): Promise<void> {
      const head = await chainHead(manager, schema);
      const parties = await knownParties(manager, schema, events);
      const rows: ChainRowData[] = [];
      let sequence = head?.sequence ?? 0;
      let previousHash = head?.hash ?? GENESIS_HASH;
      let last = head?.position ?? null;
      for (const event of events) {
        // The runner delivers each event once; this guard keeps the chain dense and ordered even if not.
        if (last && comparePositions(event.position, last) <= 0) continue;
        const made = partiesFromMade(event);
        if (made) parties.set(event.stream, made);
        sequence += 1;
        previousHash = chainHash(previousHash, event);
        last = event.position;
        rows.push(toRow(event, sequence, previousHash, parties.get(event.stream) ?? null));
      }
      await insertRows(manager, schema, rows);
      if (options.signer) {
        const due = rows.filter((row) => row.sequence % every === 0).map((row) => ({ sequence: row.sequence, hash: row.hash }));
        await storeCheckpoints(manager, options.signer, due, 'periodic');
      }
    },
  };
}

async function chainHead(sql: Sql, schema: string): Promise<ChainHead | null> {
  const [row] = (await sql.query(
    `select c.sequence::text as sequence, c.hash, c.commit_position::text as commit_position, c.prepare_position::text as prepare_position
       from ${schema}.chain c order by c.sequence desc limit 1`,
  )) as { sequence: string; hash: string; commit_position: string; prepare_position: string }[];
  if (!row) return null;
  return { sequence: Number(row.sequence), hash: row.hash, position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } };
}

/** City and partner of the referral streams in this batch whose ReferralMade was chained in an earlier batch. */
async function knownParties(sql: Sql, schema: string, events: readonly RecordedEvent[]): Promise<Map<string, ReferralParties>> {
  const streams = [...new Set(events.filter((event) => event.stream.startsWith('referral-')).map((event) => event.stream))];
  const parties = new Map<string, ReferralParties>();
  if (streams.length === 0) return parties;
  const rows = (await sql.query(
    `select stream, city_id, partner_id from ${schema}.chain where stream = any($1::text[]) and revision = 0 and city_id is not null`,
    [streams],
  )) as { stream: string; city_id: string; partner_id: string }[];
  for (const row of rows) parties.set(row.stream, { cityId: row.city_id, partnerId: row.partner_id });
  return parties;
}

function toRow(event: RecordedEvent, sequence: number, hash: string, parties: ReferralParties | null): ChainRowData {
  const actor = actorOf(event);
  return {
    sequence,
    commit_position: event.position.commit.toString(),
    prepare_position: event.position.prepare.toString(),
    event_id: event.id,
    stream: event.stream,
    revision: event.revision.toString(),
    event_type: event.type,
    recorded_at: event.recordedAt.toISOString(),
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    actor_roles: actor.roles,
    city_id: parties?.cityId ?? null,
    partner_id: parties?.partnerId ?? null,
    hash,
  };
}

async function insertRows(sql: Sql, schema: string, rows: readonly ChainRowData[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `insert into ${schema}.chain (sequence, commit_position, prepare_position, event_id, stream, revision, event_type, recorded_at,
       actor_user_id, actor_organisation_id, actor_roles, city_id, partner_id, hash)
     select sequence, commit_position, prepare_position, event_id, stream, revision, event_type, recorded_at,
       actor_user_id, actor_organisation_id, array(select jsonb_array_elements_text(actor_roles)), city_id, partner_id, hash
       from jsonb_to_recordset($1::jsonb) as x(sequence bigint, commit_position numeric, prepare_position numeric, event_id uuid,
         stream text, revision bigint, event_type text, recorded_at timestamptz, actor_user_id text, actor_organisation_id text,
         actor_roles jsonb, city_id text, partner_id text, hash text)
      order by sequence`,
    [JSON.stringify(rows)],
  );
}
