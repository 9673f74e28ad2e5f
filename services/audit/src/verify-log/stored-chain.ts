import { formatPosition, type Position } from '@koppelstuk/event-store';
import type { Sql } from '../chain/checkpoints';

/** A chain row as verification needs it. */
export interface StoredLink {
  readonly sequence: number;
  readonly position: Position;
  readonly eventId: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly type: string;
  readonly hash: string;
}

interface LinkRow {
  sequence: string;
  commit_position: string;
  prepare_position: string;
  event_id: string;
  stream: string;
  revision: string;
  event_type: string;
  hash: string;
}

const COLUMNS = `c.sequence::text as sequence, commit_position::text, prepare_position::text, event_id, stream, revision::text, event_type, hash`;

/** The chained sequences as stored: first and last, or null for an empty chain. */
export async function chainBounds(sql: Sql): Promise<{ first: number; last: number } | null> {
  const [row] = (await sql.query('select min(sequence)::text as first, max(sequence)::text as last from audit.chain')) as { first: string | null; last: string | null }[];
  return row?.first && row.last ? { first: Number(row.first), last: Number(row.last) } : null;
}

/** Chain rows from `from` to `to` in sequence order, a page at a time. */
export async function* storedLinks(sql: Sql, from: number, to: number, pageSize = 2000): AsyncGenerator<StoredLink> {
  let next = from;
  while (next <= to) {
    const rows = (await sql.query(`select ${COLUMNS} from audit.chain c where c.sequence >= $1 and c.sequence <= $2 order by c.sequence limit $3`, [
      next,
      to,
      pageSize,
    ])) as LinkRow[];
    for (const row of rows) yield toLink(row);
    if (rows.length < pageSize) return;
    next = Number((rows[rows.length - 1] as LinkRow).sequence) + 1;
  }
}

export async function linkAt(sql: Sql, sequence: number): Promise<StoredLink | null> {
  const [row] = (await sql.query(`select ${COLUMNS} from audit.chain c where c.sequence = $1`, [sequence])) as LinkRow[];
  return row ? toLink(row) : null;
}

/** Where the chain holds this event, if anywhere: used to tell a moved event from an inserted one. */
export async function linkOfEvent(sql: Sql, eventId: string): Promise<StoredLink | null> {
  const [row] = (await sql.query(`select ${COLUMNS} from audit.chain c where c.event_id = $1 order by c.sequence limit 1`, [eventId])) as LinkRow[];
  return row ? toLink(row) : null;
}

export const describeLink = (link: StoredLink): string =>
  `sequence ${link.sequence} (event ${link.eventId}, ${link.type} #${link.revision} of ${link.stream}, chained at position ${formatPosition(link.position)})`;

function toLink(row: LinkRow): StoredLink {
  return {
    sequence: Number(row.sequence),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    eventId: row.event_id,
    stream: row.stream,
    revision: BigInt(row.revision),
    type: row.event_type,
    hash: row.hash,
  };
}
