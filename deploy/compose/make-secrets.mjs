// Creates what deploy/compose.yaml needs and must never be committed, once:
//   deploy/.env                        POSTGRES_PASSWORD (read by Compose for the database and the services)
//   deploy/secrets/master.key          the master key that wraps every subject key (32 random bytes, base64)
//   deploy/secrets/audit-signing-key.pem  the Ed25519 key that signs the audit chain's checkpoints (PKCS8 PEM)
// Existing files are kept: a new master key would make every stored subject key unreadable, which is the
// same as erasing all personal data. Back these files up apart from the database (docs/operations.md).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const deploy = join(dirname(fileURLToPath(import.meta.url)), '..');
const secrets = join(deploy, 'secrets');
mkdirSync(secrets, { recursive: true, mode: 0o700 });
chmodSync(secrets, 0o700);

// The files are bind-mounted into containers that run as uid 10001, so they are readable by others;
// the 0700 directory keeps other users of this host out.
function create(path, content, mode = 0o644) {
  if (existsSync(path)) {
    console.log(`kept     ${path}`);
    return;
  }
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  console.log(`created  ${path}`);
}

create(join(deploy, '.env'), `POSTGRES_PASSWORD=${randomBytes(24).toString('hex')}\n`, 0o600);
create(join(secrets, 'master.key'), `${randomBytes(32).toString('base64')}\n`);
const { privateKey } = generateKeyPairSync('ed25519');
create(join(secrets, 'audit-signing-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
