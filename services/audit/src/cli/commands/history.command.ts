import { referralStream, type CommandActor } from '@koppelstuk/domain';
import { historyEntries, type HistoryEntryView } from '../../history/history-entries';
import { loadVisibleReferral } from '../../history/referral-stream';
import { chainSequences } from '../../history/sequences';
import { withConnection } from '../connection';
import { EXIT, usageError, type ExitCode } from '../exit-codes';
import type { Io } from '../io';

/** The CLI reads as an auditor: every referral, personal data never decrypted (so there is no read to record). */
const CLI_READER: CommandActor = { userId: 'koppelstuk-audit-cli', organisationId: 'koppelstuk', roles: ['auditor'] };

/** `history <referralId>`: every event of the referral, in order, with its place in the chain and its changes. */
export async function historyCommand(referralId: string, io: Io): Promise<ExitCode> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(referralId)) throw usageError(`"${referralId}" is not a referral id (a UUID)`);
  return withConnection(io.env, async (connection) => {
    const loaded = await loadVisibleReferral(connection.store, referralId, CLI_READER);
    if (!loaded) {
      io.err(`No referral ${referralId} in the log\n`);
      return EXIT.problem;
    }
    const sequences = await chainSequences(connection.dataSource, referralStream(referralId));
    const { state } = loaded;
    const lines = [`Referral ${referralId}: ${state.status}, ${state.cityId} -> ${state.partnerId}, ${loaded.events.length} events`];
    for (const entry of historyEntries(loaded.events, sequences, 'masked')) lines.push(...describe(entry));
    io.out(`${lines.join('\n')}\n`);
    return EXIT.ok;
  });
}

function describe(entry: HistoryEntryView): string[] {
  const by = `${entry.actor.userId}${entry.actor.organisationId ? ` (${entry.actor.organisationId})` : ''}`;
  const head = [
    `#${entry.sequence ?? '-'}`,
    entry.recordedAt.toISOString(),
    entry.type,
    `by ${by}`,
    entry.occurredAt ? `occurred ${entry.occurredAt}` : null,
    `position ${entry.position}`,
  ].filter((part): part is string => part !== null);
  return [head.join('  '), ...entry.changes.map((change) => `    ${change.field} = ${change.personal ? '(personal data, not shown)' : change.value}`)];
}
