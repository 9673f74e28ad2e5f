import type { ChainSigner } from './chain-signer';

/** Anything that runs SQL and returns rows: a TypeORM EntityManager or DataSource. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface CheckpointRecord {
  readonly sequence: number;
  readonly hash: string;
  readonly signature: string;
  readonly publicKey: string;
  readonly keyId: string;
  readonly kind: 'periodic' | 'on_demand';
  readonly signedAt: Date;
}

interface CheckpointRowData {
  sequence: string;
  hash: string;
  signature: string;
  public_key: string;
  key_id: string;
  kind: 'periodic' | 'on_demand';
  signed_at: Date;
}

// Qualified: `order by sequence` would otherwise sort by the text column of the same name.
const COLUMNS = 'k.sequence::text as sequence, k.hash, signature, public_key, key_id, kind, signed_at';

/**
 * Signs and stores checkpoints. Always in `audit.checkpoints`, never a rebuild's scratch schema, and never
 * overwriting one: a checkpoint is evidence of what the chain was when it was signed.
 */
export async function storeCheckpoints(
  sql: Sql,
  signer: ChainSigner,
  points: readonly { sequence: number; hash: string }[],
  kind: CheckpointRecord['kind'],
): Promise<void> {
  if (points.length === 0) return;
  await sql.query(
    `insert into audit.checkpoints (sequence, hash, signature, public_key, key_id, kind)
     select s, h, sig, $4, $5, $6 from unnest($1::bigint[], $2::text[], $3::text[]) as x(s, h, sig)
     on conflict (sequence) do nothing`,
    [
      points.map((point) => point.sequence),
      points.map((point) => point.hash),
      points.map((point) => signer.sign(point.sequence, point.hash)),
      signer.publicKeyPem,
      signer.keyId,
      kind,
    ],
  );
}

/** Signs the chain's head now (the `checkpoint` command). Returns the checkpoint stored for it, or null for an empty chain. */
export async function checkpointHead(sql: Sql, signer: ChainSigner): Promise<CheckpointRecord | null> {
  const [head] = (await sql.query('select c.sequence::int as sequence, c.hash from audit.chain c order by c.sequence desc limit 1')) as { sequence: number; hash: string }[];
  if (!head) return null;
  await storeCheckpoints(sql, signer, [head], 'on_demand');
  return (await checkpointsBetween(sql, head.sequence, head.sequence))[0] ?? null;
}

export async function checkpointsBetween(sql: Sql, from: number, to: number): Promise<CheckpointRecord[]> {
  const rows = (await sql.query(`select ${COLUMNS} from audit.checkpoints k where k.sequence between $1 and $2 order by k.sequence`, [from, to])) as CheckpointRowData[];
  return rows.map(toRecord);
}

export async function latestCheckpoints(sql: Sql, first: number): Promise<CheckpointRecord[]> {
  const rows = (await sql.query(`select ${COLUMNS} from audit.checkpoints k order by k.sequence desc limit $1`, [first])) as CheckpointRowData[];
  return rows.map(toRecord);
}

function toRecord(row: CheckpointRowData): CheckpointRecord {
  return {
    sequence: Number(row.sequence),
    hash: row.hash,
    signature: row.signature,
    publicKey: row.public_key,
    keyId: row.key_id,
    kind: row.kind,
    signedAt: row.signed_at,
  };
}
