import { describeDifference } from '../../replay/compare-tables';
import { readReadModelFile, ReadModelFileError, writeReadModelFile } from '../../replay/read-model-file';
import { REPLAY_TARGETS } from '../../replay/registry';
import { replayProjection, type Baseline, type ReplayReport } from '../../replay/replay-projection';
import type { ReplayTarget } from '../../replay/replay-target';
import { chainBounds } from '../../verify-log/stored-chain';
import { withConnection } from '../connection';
import { EXIT, usageError, type ExitCode } from '../exit-codes';
import { parseInstant, type Io } from '../io';
import { progressBar } from '../progress';

export interface ReplayCommandOptions {
  readonly asOf?: string;
  /** `live` (default), `none`, or the path of a file an earlier replay wrote with --out. */
  readonly against?: string;
  readonly out?: string;
}

/**
 * `replay <projection>`: rebuild the read model from the events in a scratch schema and print every
 * difference with the live one (or a saved replay). Exit 1 when there is any difference.
 */
export async function replayCommand(name: string, options: ReplayCommandOptions, io: Io, targets: Readonly<Record<string, ReplayTarget>> = REPLAY_TARGETS): Promise<ExitCode> {
  const target = targets[name];
  if (!target) throw usageError(`Unknown projection "${name}"; known: ${Object.keys(targets).join(', ')}`);
  const asOf = parseInstant(options.asOf, '--as-of', 'end') ?? null;
  const against = baseline(options.against ?? 'live');
  return withConnection(io.env, async (connection) => {
    const bounds = await chainBounds(connection.dataSource);
    const bar = progressBar(`replay ${name}`, bounds?.last ?? 0, io.interactive);
    let report: ReplayReport;
    try {
      report = await replayProjection(connection.store, connection.dataSource, target, { asOf, against, onProgress: (read) => bar.update(read) });
    } finally {
      bar.stop();
    }
    if (options.out) writeReadModelFile(options.out, report.replayed);
    io.out(describe(report, options.out));
    return report.differences === 0 ? EXIT.ok : EXIT.problem;
  });
}

function baseline(against: string): Baseline {
  if (against === 'live') return { kind: 'live' };
  if (against === 'none') return { kind: 'none' };
  try {
    return { kind: 'file', file: readReadModelFile(against) };
  } catch (error) {
    if (error instanceof ReadModelFileError) throw usageError(`--against: ${error.message}`);
    throw error;
  }
}

function describe(report: ReplayReport, out: string | undefined): string {
  const { run } = report;
  const lines = [
    `Replayed ${run.events} events into ${report.projection}${report.asOf ? ` as of ${report.asOf.toISOString()}` : ''}` +
      `${report.replayed.position ? ` up to position ${report.replayed.position}` : ''} in ${run.durationMs} ms (${run.eventsPerSecond} events/s)`,
  ];
  if (out) lines.push(`Replayed tables written to ${out}`);
  if (report.against === 'none') return `${lines.join('\n')}\n`;
  for (const comparison of report.comparisons) {
    lines.push(`${comparison.table}: ${comparison.liveRows} ${report.against} rows, ${comparison.replayedRows} replayed rows, ${comparison.differences.length} differences`);
    for (const difference of comparison.differences) lines.push(`  ${describeDifference(difference)}`);
  }
  lines.push(report.differences === 0 ? `No differences: the ${report.against} read model follows from the events` : `${report.differences} differences`);
  return `${lines.join('\n')}\n`;
}
