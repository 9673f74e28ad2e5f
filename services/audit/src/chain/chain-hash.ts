import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@koppelstuk/event-store';
import { canonicalJson } from './canonical-json';

/** The "previous hash" of the first event in the log. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the encoding below ever changes, so that old and new chains can never be confused. */
const ENCODING = 'koppelstuk-chain/1';

/**
 * SHA-256 over the canonical JSON of everything that makes an event what it is: its place in the log
 * (position), its identity (event id, stream, revision), type, time of recording, data and metadata as
 * stored (personal data as ciphertext: erasing a subject key never changes it), and the previous event's
 * hash. Changing, removing, inserting or moving any event therefore changes every hash from there on.
 */
export function chainHash(previousHash: string, event: RecordedEvent): string {
  const encoded = canonicalJson([
    ENCODING,
    event.position.commit.toString(),
    event.position.prepare.toString(),
    event.id,
    event.stream,
    event.revision.toString(),
    event.type,
    event.recordedAt.toISOString(),
    event.data,
    event.metadata,
    previousHash,
  ]);
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}
