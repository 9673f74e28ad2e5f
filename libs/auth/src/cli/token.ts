import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { isOrganisationId, ROLES, type Role } from '@koppelstuk/domain';
import { DevIssuer } from '../dev-issuer';

/** `npm run token -- --org <id> --role <role> [--user <id>]`: a development token for local use. */
const program = new Command('token')
  .description('Print a development bearer token signed by this installation\'s development issuer')
  .requiredOption('--org <id>', 'organisation id, e.g. gm0141-almelo or oost-nl', (value: string) => {
    if (!isOrganisationId(value)) throw new InvalidArgumentError('an organisation id is a lowercase slug such as gm0141-almelo');
    return value;
  })
  .requiredOption('--role <role...>', `one or more of ${ROLES.join(', ')}`, (value: string, previous: Role[] = []) => {
    if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`roles are ${ROLES.join(', ')}`);
    return [...previous, value as Role];
  })
  .option('--user <id>', 'user id (the token subject)', 'dev-user')
  .option('--expires-in <seconds>', 'lifetime in seconds', (value: string) => {
    const seconds = Number(value);
    if (!Number.isInteger(seconds) || seconds < 1) throw new InvalidArgumentError('a positive whole number of seconds');
    return seconds;
  }, 8 * 3600)
  .action(async (options: { org: string; role: Role[]; user: string; expiresIn: number }) => {
    if (process.env['OIDC_ISSUER']) {
      program.error('OIDC_ISSUER is set: tokens come from your identity provider, not from the development issuer', { exitCode: 2 });
    }
    const issuer = await DevIssuer.loadOrCreate(resolve(process.env['KOPPELSTUK_DATA_DIR'] ?? '.koppelstuk'));
    process.stdout.write(`${await issuer.issue({ userId: options.user, organisationId: options.org, roles: options.role, expiresInSeconds: options.expiresIn })}\n`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(1);
});
