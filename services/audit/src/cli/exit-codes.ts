/** The CLI's exit codes: scripts (and CI jobs of an auditor) branch on these. */
export const EXIT = {
  ok: 0,
  /** Verification found a problem, a replay found differences, or the referral asked for does not exist. */
  problem: 1,
  /** Bad arguments or configuration. */
  usage: 2,
  /** The database or event store could not be reached (or prepared). */
  cannotConnect: 3,
  /** Anything else that went wrong (a bug, or the database failing mid-run): nothing was concluded. */
  failure: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the run with a given exit code and a message for people. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);
