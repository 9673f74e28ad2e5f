import { runCli } from './program';

/** `koppelstuk-audit` (`npm run audit -- <command>`): see services/audit/README.md. */
void runCli(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: Boolean(process.stdout.isTTY),
  env: process.env,
}).then((code) => {
  // Leave only once everything written has been flushed; open handles must not keep the process alive.
  process.stdout.write('', () => process.exit(code));
});
