import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { keyIdOf } from '../../chain/chain-signer';
import { chainBounds } from '../../verify-log/stored-chain';
import { VerificationRangeError, verifyLog, type VerificationReport } from '../../verify-log/verify-log';
import { catchUpChain } from '../catch-up';
import { withConnection } from '../connection';
import { EXIT, usageError, type ExitCode } from '../exit-codes';
import { parseSequence, type Io } from '../io';
import { progressBar } from '../progress';

export interface VerifyCommandOptions {
  readonly from?: string;
  readonly to?: string;
  readonly trustKey?: readonly string[];
  readonly json?: boolean;
  readonly catchUp?: boolean;
}

/**
 * `verify`: recompute the chain from the log and compare it with the stored chain and its signed checkpoints.
 * Checkpoints must be signed by this installation's key or one given with --trust-key (a public key an
 * auditor kept): a forger with database access could otherwise sign with a key of their own.
 */
export async function verifyCommand(options: VerifyCommandOptions, io: Io): Promise<ExitCode> {
  const from = parseSequence(options.from, '--from');
  const to = parseSequence(options.to, '--to');
  const pinned = (options.trustKey ?? []).map(publicKeyId);
  return withConnection(io.env, async (connection) => {
    if (options.catchUp) await catchUpChain(connection);
    const own = connection.installationKeyId();
    const trusted = [...pinned, ...(own ? [own] : [])];
    const bounds = await chainBounds(connection.dataSource);
    const bar = progressBar('verify', bounds ? Math.min(to ?? bounds.last, bounds.last) - (from ?? 1) + 1 : 0, io.interactive);
    let report: VerificationReport;
    try {
      report = await verifyLog(connection.store, connection.dataSource, {
        from,
        to,
        ...(trusted.length > 0 ? { trustedKeyIds: trusted } : {}),
        onProgress: (checked, total) => bar.update(checked, total),
      });
    } catch (error) {
      if (error instanceof VerificationRangeError) throw usageError(error.message);
      throw error;
    } finally {
      bar.stop();
    }
    io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report, trusted.length > 0));
    return report.ok ? EXIT.ok : EXIT.problem;
  });
}

function describe(report: VerificationReport, pinned: boolean): string {
  if (report.fromSequence === null) return 'The chain is empty: nothing to verify (is the audit service running? try --catch-up)\n';
  const range = `sequences ${report.fromSequence}-${report.toSequence}`;
  const keys = pinned ? '' : ' (no signing key pinned: signatures checked against the keys stored with them)';
  if (report.ok) {
    return [
      `OK: ${report.checkedEvents} events (${range}) match the hash chain`,
      `head hash: ${report.headHash}`,
      `signed checkpoints verified: ${report.checkpointsVerified}${keys}`,
      '',
    ].join('\n');
  }
  return [
    `PROBLEM at sequence ${report.firstBadSequence}${report.firstBadPosition ? `, position ${report.firstBadPosition}` : ''}`,
    report.problem,
    `checked before it: ${report.checkedEvents} events (${range}), ${report.checkpointsVerified} signed checkpoints`,
    '',
  ].join('\n');
}

function publicKeyId(file: string): string {
  try {
    return keyIdOf(createPublicKey(readFileSync(file, 'utf8')));
  } catch (error) {
    throw usageError(`--trust-key ${file}: not a readable public key (PEM): ${(error as Error).message}`);
  }
}
