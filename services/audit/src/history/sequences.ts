import type { Sql } from '../chain/checkpoints';

/** Each chained event of a stream and its place in the hash chain (events not chained yet are absent). */
export async function chainSequences(sql: Sql, stream: string): Promise<Map<string, number>> {
  const rows = (await sql.query('select event_id, sequence::int as sequence from audit.chain where stream = $1', [stream])) as { event_id: string; sequence: number }[];
  return new Map(rows.map((row) => [row.event_id, row.sequence]));
}
