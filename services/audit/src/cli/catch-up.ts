import { ProjectionRunner } from '@koppelstuk/projections';
import { chainProjection } from '../chain/chain.projection';
import type { Connection } from './connection';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Brings the chain up to the log's head before a command looks at it, for installations where the audit
 * service is not running. If it is, this runner is a standby and simply waits for the service's progress.
 */
export async function catchUpChain(connection: Connection, timeoutMs = 10 * 60_000): Promise<void> {
  const runner = new ProjectionRunner({
    store: connection.store,
    dataSource: connection.dataSource,
    projection: chainProjection({ signer: connection.signer(), checkpointEvery: connection.config.KOPPELSTUK_AUDIT_CHECKPOINT_EVERY }),
    logger: quiet,
    standbyRetryMs: 500,
  });
  await runner.start();
  try {
    const head = await connection.store.headPosition();
    if (head) await runner.waitForPosition(head, timeoutMs);
  } finally {
    await runner.stop();
  }
}
