import { SingleBar, Presets } from 'cli-progress';

/** What long runs report to: a bar on a terminal, nothing otherwise (pipes and files stay clean). */
export interface Progress {
  update(value: number, total?: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A bar on standard error (standard output stays the command's result), shown only when standard output is a
 * terminal: a command piped into a file or another program prints nothing but its result.
 */
export function progressBar(label: string, total: number, interactive = Boolean(process.stdout.isTTY), stream: NodeJS.WritableStream = process.stderr): Progress {
  if (!interactive || total <= 0) return silent;
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} events | {duration_formatted}`, hideCursor: true, stream },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (value, newTotal) => {
      if (newTotal !== undefined && newTotal !== bar.getTotal()) bar.setTotal(newTotal);
      bar.update(Math.min(value, newTotal ?? bar.getTotal()));
    },
    stop: () => bar.stop(),
  };
}
