import { Command, CommanderError, Option } from 'commander';
import { checkpointCommand } from './commands/checkpoint.command';
import { exportCommand } from './commands/export.command';
import { historyCommand } from './commands/history.command';
import { replayCommand } from './commands/replay.command';
import { verifyCommand } from './commands/verify.command';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import type { Io } from './io';

/** The `koppelstuk-audit` command line, run on injected output so that tests can run it whole. */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const finish = (result: ExitCode) => {
    code = result;
  };
  const program = new Command('koppelstuk-audit')
    .description('Verify, replay and export the Koppelstuk event log; show a referral\'s history; sign a chain checkpoint.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .showHelpAfterError();

  program
    .command('verify')
    .description('Recompute the hash chain from the log and compare it with the stored chain and the signed checkpoints')
    .option('--from <sequence>', 'first chain sequence to check (default 1)')
    .option('--to <sequence>', 'last chain sequence to check (default: the head)')
    .option('--trust-key <pem...>', 'public key file(s) checkpoints may be signed with, besides this installation\'s')
    .option('--catch-up', 'first bring the chain up to the head of the log')
    .option('--json', 'print the report as JSON')
    .action(async (options) => finish(await verifyCommand(options, io)));

  program
    .command('replay')
    .description('Rebuild a projection from the events into a scratch schema and print every difference')
    .argument('<projection>', 'the read model, e.g. audit-chain')
    .option('--as-of <date>', 'only events recorded up to then (a date means the end of that day, UTC)')
    .option('--against <live|none|file>', 'compare with the live tables, nothing, or a file an earlier --out wrote', 'live')
    .option('--out <file>', 'write the replayed tables to this file')
    .action(async (projection: string, options) => finish(await replayCommand(projection, options, io)));

  program
    .command('export')
    .description('Events of a period with their chain hashes, as JSON Lines or CSV')
    .option('--from <date>', 'recorded at or after (a date means the start of that day, UTC)')
    .option('--to <date>', 'recorded at or before (a date means the end of that day, UTC)')
    .addOption(new Option('--format <format>', 'file format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options) => finish(await exportCommand(options, io)));

  program
    .command('history')
    .description("A referral's events in order, with their place in the chain (personal data never shown)")
    .argument('<referralId>')
    .action(async (referralId: string) => finish(await historyCommand(referralId, io)));

  program
    .command('checkpoint')
    .description("Sign the chain's head now")
    .option('--catch-up', 'first bring the chain up to the head of the log')
    .action(async (options) => finish(await checkpointCommand(options, io)));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      io.err(`${error.message}\n`);
      return error.exitCode;
    }
    io.err(`koppelstuk-audit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failure;
  }
}
