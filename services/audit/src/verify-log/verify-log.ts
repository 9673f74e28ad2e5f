import { comparePositions, formatPosition, type EventStore, type RecordedEvent } from '@koppelstuk/event-store';
import { createPublicKey } from 'node:crypto';
import { chainHash, GENESIS_HASH } from '../chain/chain-hash';
import { keyIdOf, verifyCheckpointSignature } from '../chain/chain-signer';
import { checkpointsBetween, type CheckpointRecord, type Sql } from '../chain/checkpoints';
import { changedProblem, diagnoseMismatch, type Problem, type ProblemKind } from './diagnose';
import { chainBounds, linkAt, storedLinks, type StoredLink } from './stored-chain';

export interface VerifyOptions {
  /** First chain sequence to check (default 1). */
  readonly from?: number | null;
  /** Last chain sequence to check (default: the chain's head when verification starts). */
  readonly to?: number | null;
  /** When given, a checkpoint signed by any other key is a problem (a forged key and signature would verify). */
  readonly trustedKeyIds?: readonly string[];
  readonly onProgress?: (checked: number, total: number) => void;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly checkedEvents: number;
  readonly fromSequence: number | null;
  readonly toSequence: number | null;
  readonly firstBadSequence: number | null;
  readonly firstBadPosition: string | null;
  readonly problemKind: ProblemKind | null;
  readonly problem: string | null;
  /** The recomputed chain hash at the end of the range; null when a problem stopped verification. */
  readonly headHash: string | null;
  readonly checkpointsVerified: number;
}

export class VerificationRangeError extends RangeError {}

/**
 * Re-reads the events from the event store in log order, recomputes the hash chain from them and compares
 * it, event by event, with the chain as stored, and with every signed checkpoint in the range. Stops at the
 * first disagreement and names it (sequence, position, what happened). A range starting after 1 is anchored
 * on the stored hash of the sequence before it.
 */
export async function verifyLog(store: EventStore, sql: Sql, options: VerifyOptions = {}): Promise<VerificationReport> {
  const bounds = await chainBounds(sql);
  if (!bounds) return report({ checked: 0, from: null, to: null, problem: null, headHash: null, checkpoints: 0 });
  const from = options.from ?? 1;
  const to = Math.min(options.to ?? bounds.last, bounds.last);
  if (!Number.isSafeInteger(from) || from < 1) throw new VerificationRangeError('from is a chain sequence: 1 or more');
  if (options.to != null && (!Number.isSafeInteger(options.to) || options.to < from)) {
    throw new VerificationRangeError(`to must be a chain sequence of at least from (${from})`);
  }
  if (from > bounds.last) throw new VerificationRangeError(`the chain ends at sequence ${bounds.last}; from ${from} is beyond it`);

  const anchor = from === 1 ? null : await linkAt(sql, from - 1);
  if (from > 1 && !anchor) {
    return report({ checked: 0, from, to, problem: chainGap(from - 1, null), headHash: null, checkpoints: 0 });
  }
  const checkpoints = new Map((await checkpointsBetween(sql, from, to)).map((checkpoint) => [checkpoint.sequence, checkpoint]));
  const events = store.readAll({ fromPosition: anchor?.position ?? 'start' })[Symbol.asyncIterator]();
  const nextEvent = async (): Promise<RecordedEvent | null> => {
    for (;;) {
      const step = await events.next();
      if (step.done) return null;
      // The anchor itself (read inclusively) is not part of the range.
      if (anchor && comparePositions(step.value.position, anchor.position) <= 0) continue;
      return step.value;
    }
  };

  let previousHash = anchor?.hash ?? GENESIS_HASH;
  let expected = from;
  let checked = 0;
  let verifiedCheckpoints = 0;
  let lastGoodCheckpoint = from - 1;
  const total = to - from + 1;
  try {
    let event = await nextEvent();
    for await (const link of storedLinks(sql, from, to)) {
      if (link.sequence !== expected) return report({ checked, from, to, problem: chainGap(expected, link), headHash: null, checkpoints: verifiedCheckpoints });
      if (!event || comparePositions(event.position, link.position) !== 0 || event.id !== link.eventId) {
        const problem = await diagnoseMismatch(store, sql, link, event);
        return report({ checked, from, to, problem, headHash: null, checkpoints: verifiedCheckpoints });
      }
      const hash = chainHash(previousHash, event);
      if (hash !== link.hash) return report({ checked, from, to, problem: changedProblem(link, event), headHash: null, checkpoints: verifiedCheckpoints });
      const checkpoint = checkpoints.get(link.sequence);
      if (checkpoint) {
        const problem = checkCheckpoint(checkpoint, hash, link, lastGoodCheckpoint, options.trustedKeyIds);
        if (problem) return report({ checked, from, to, problem, headHash: null, checkpoints: verifiedCheckpoints });
        verifiedCheckpoints += 1;
        lastGoodCheckpoint = link.sequence;
      }
      previousHash = hash;
      checked += 1;
      expected += 1;
      if (checked % 500 === 0) options.onProgress?.(checked, total);
      event = await nextEvent();
    }
    if (expected <= to) return report({ checked, from, to, problem: chainGap(expected, null), headHash: null, checkpoints: verifiedCheckpoints });
    options.onProgress?.(checked, total);
    return report({ checked, from, to, problem: null, headHash: previousHash, checkpoints: verifiedCheckpoints });
  } finally {
    await events.return?.();
  }
}

/**
 * A checkpoint must carry a valid signature (by a trusted key, when trusted keys are given) and match the
 * recomputed chain. A mismatch with a chain that otherwise agrees with the log means both were rewritten
 * together after the checkpoint was signed: the change lies after the last good checkpoint.
 */
function checkCheckpoint(
  checkpoint: CheckpointRecord,
  hash: string,
  link: StoredLink,
  lastGood: number,
  trusted: readonly string[] | undefined,
): Problem | null {
  const at = `the checkpoint at sequence ${checkpoint.sequence} (signed ${checkpoint.signedAt.toISOString()})`;
  const fail = (message: string): Problem => ({ kind: 'checkpoint', sequence: link.sequence, position: link.position, message });
  if (!verifyCheckpointSignature(checkpoint.publicKey, checkpoint.sequence, checkpoint.hash, checkpoint.signature)) {
    return fail(`checkpoint: ${at} does not carry a valid signature of its hash`);
  }
  if (trusted && !trusted.includes(keyIdOf(createPublicKey(checkpoint.publicKey)))) {
    return fail(`checkpoint: ${at} is signed by a key that is not trusted (${keyIdOf(createPublicKey(checkpoint.publicKey))})`);
  }
  if (checkpoint.hash !== hash) {
    return fail(
      `checkpoint: ${at} vouches for hash ${checkpoint.hash}, but the log recomputes to ${hash}: ` +
        `the log and the chain were rewritten together somewhere in sequences ${lastGood + 1}-${checkpoint.sequence}`,
    );
  }
  return null;
}

function chainGap(expected: number, found: StoredLink | null): Problem {
  return {
    kind: 'chain',
    sequence: expected,
    position: found?.position ?? { commit: 0n, prepare: 0n },
    message: `chain: the chain table has no row for sequence ${expected}${found ? ` (the next row is sequence ${found.sequence})` : ''}: rows were removed from audit.chain`,
  };
}

interface ReportInput {
  readonly checked: number;
  readonly from: number | null;
  readonly to: number | null;
  readonly problem: Problem | null;
  readonly headHash: string | null;
  readonly checkpoints: number;
}

function report(input: ReportInput): VerificationReport {
  const { problem } = input;
  return {
    ok: problem === null,
    checkedEvents: input.checked,
    fromSequence: input.from,
    toSequence: input.to,
    firstBadSequence: problem?.sequence ?? null,
    firstBadPosition: problem && problem.position.commit !== 0n ? formatPosition(problem.position) : null,
    problemKind: problem?.kind ?? null,
    problem: problem?.message ?? null,
    headHash: input.headHash,
    checkpointsVerified: input.checkpoints,
  };
}
