import type { DataSource, QueryRunner } from 'typeorm';

/** First key of every projection lease (two-int form of the advisory lock): "kppj", so it is recognisable in pg_locks. */
const LEASE_NAMESPACE = 0x6b70706a;

/**
 * The right to apply one projection: a session-level advisory lock held on one dedicated connection.
 * The runner's batch transactions run on that same connection, so if the session dies the lock is gone
 * and so is any transaction that could still write: there is no window in which a former holder writes.
 */
export class Lease {
  private constructor(
    /** The lease connection: run every batch transaction on it. */
    readonly queryRunner: QueryRunner,
    private readonly key: number,
  ) {}

  /** The lease, or null when another session holds it. */
  static async tryAcquire(dataSource: DataSource, projectionName: string): Promise<Lease | null> {
    const key = leaseKey(projectionName);
    const queryRunner = dataSource.createQueryRunner();
    try {
      const rows = (await queryRunner.query('select pg_try_advisory_lock($1, $2) as acquired', [LEASE_NAMESPACE, key])) as {
        acquired: boolean;
      }[];
      if (rows[0]?.acquired) return new Lease(queryRunner, key);
    } catch (error) {
      await queryRunner.release();
      throw error;
    }
    await queryRunner.release();
    return null;
  }

  /** Whether this session is alive and still holds the lock (asked on the lease connection itself). */
  async isHeld(): Promise<boolean> {
    if (this.queryRunner.isReleased) return false;
    try {
      const rows = (await this.queryRunner.query(
        `select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
           and classid = $1::oid and objid = $2::oid and objsubid = 2 and granted) as held`,
        [LEASE_NAMESPACE, toOid(this.key)],
      )) as { held: boolean }[];
      return rows[0]?.held === true;
    } catch {
      return false;
    }
  }

  /**
   * Gives the lease up. The connection goes back to the pool only once the lock is verifiably released;
   * otherwise it is closed, which ends the session and with it the lock.
   */
  async release(): Promise<void> {
    if (this.queryRunner.isReleased) return;
    let unlocked = false;
    try {
      const rows = (await this.queryRunner.query('select pg_advisory_unlock($1, $2) as unlocked', [LEASE_NAMESPACE, this.key])) as {
        unlocked: boolean;
      }[];
      unlocked = rows[0]?.unlocked === true;
    } catch {
      unlocked = false;
    }
    if (!unlocked && !this.queryRunner.isReleased) {
      const connection: unknown = await this.queryRunner.connect();
      if (isEndable(connection)) await connection.end().catch(() => undefined);
    }
    await this.queryRunner.release();
  }
}

/** FNV-1a of the name as a signed 32-bit integer: stable across PostgreSQL versions, unlike hashtext(). */
export function leaseKey(projectionName: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(projectionName, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** pg_locks shows the two int4 keys as unsigned oids. */
function toOid(key: number): number {
  return key >>> 0;
}

function isEndable(value: unknown): value is { end(): Promise<void> } {
  return typeof value === 'object' && value !== null && typeof (value as { end?: unknown }).end === 'function';
}
