/**
 * Meshdeck's command line (docs/api.md): users and API keys for the OCI face, without the console.
 *
 *   npm run meshdeck -- user create --name alice
 *   npm run meshdeck -- apikey create --user alice --out ~/.oci
 *   npm run apikey -- create --user alice --out ~/.oci        (the same, shorter)
 *
 * It opens the same store as the server (MESHDECK_DB, else data/meshdeck.db; or --db), so a
 * key works at once, even while the server runs.
 */
import { RoleSchema, PasswordSchema, type Role } from '@meshdeck/domain';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateApiKeyPair } from '../src/auth/api-key-crypto.ts';
import {
  createApiKeyRepository,
  type ApiKey,
  type ApiUser,
} from '../src/auth/api-keys.repository.ts';
import { ociConfigSnippet } from '../src/auth/oci-config.ts';
import { hashPassword } from '../src/auth/password.ts';
import { createUsersRepository } from '../src/auth/users.repository.ts';
import { runAs } from '../src/audit/actor-context.ts';
import { createAuditRepository } from '../src/audit/audit.repository.ts';
import { systemClock } from '../src/clock.ts';
import { openDb, type Db } from '../src/db/open-db.ts';
import { AppError } from '../src/errors.ts';

const USAGE = `Usage: npm run meshdeck -- <command> [options]

  user create --name NAME [--role viewer|operator|admin] [PASSWORD SOURCE]
                                     create a user (default role operator). With a password
                                     source the user can sign in to the console; without one
                                     the user has API keys only. The first admin:
                                       npm run meshdeck -- user create --name alice --role admin --prompt-password
  user set --name NAME [--role R] [--disable | --enable] [PASSWORD SOURCE]
                                     change a user's role, disable/enable, or set a password
                                     (ends the user's console sessions)
  user list                          list users with role and state

  PASSWORD SOURCE (never an argument): --prompt-password (asks twice, not echoed),
  --password-stdin (the first line of stdin), --password-file FILE (its first line)
  apikey create --user NAME --out DIR [--profile P]
                                     generate an RSA-2048 key pair for NAME (created when new),
                                     register its public key, and write DIR/meshdeck-NAME.pem
                                     (the private key, mode 600) and DIR/meshdeck-NAME.config
                                     (an OCI config profile pointing at it)
  apikey register --user NAME --public-key FILE
                                     register a public key (PEM) you made yourself
  apikey list [--user NAME]          list keys with their keyId
  apikey revoke --user NAME --fingerprint FP
                                     revoke a key; requests signed with it get 401

Options: --db PATH  the store: a SQLite file or a PostgreSQL URL (default: MESHDECK_DB, else data/meshdeck.db)
`;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function fail(message: string): never {
  process.stderr.write(`meshdeck: ${message}\n`);
  process.exit(1);
}

/** One line from stdin (piped), or typed at a prompt without echo (a terminal). */
async function readSecretLine(prompt: string | undefined): Promise<string> {
  const output = process.stderr;
  const rl = createInterface({ input: process.stdin, output, terminal: Boolean(prompt) });
  if (prompt) {
    output.write(prompt);
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    if (prompt) output.write('\n');
    rl.close();
  }
}

async function readPassword(values: {
  'prompt-password'?: boolean | undefined;
  'password-stdin'?: boolean | undefined;
  'password-file'?: string | undefined;
}): Promise<string | undefined> {
  const sources = [values['prompt-password'], values['password-stdin'], values['password-file']];
  if (sources.filter(Boolean).length > 1) fail('give one password source');
  let password: string | undefined;
  if (values['password-file'] !== undefined) {
    password = readFileSync(resolve(expandHome(values['password-file'])), 'utf8').split(/\r?\n/)[0];
  } else if (values['password-stdin']) {
    password = await readSecretLine(undefined);
  } else if (values['prompt-password']) {
    if (!process.stdin.isTTY) fail('--prompt-password needs a terminal; use --password-stdin');
    password = await readSecretLine('Password: ');
    const again = await readSecretLine('Password again: ');
    if (again !== password) fail('the passwords differ');
  } else {
    return undefined;
  }
  const parsed = PasswordSchema.safeParse(password ?? '');
  if (!parsed.success) fail(`password ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  return hashPassword(parsed.data);
}

function roleOf(text: string | undefined): Role | undefined {
  if (text === undefined) return undefined;
  const parsed = RoleSchema.safeParse(text);
  if (!parsed.success) fail(`--role must be ${RoleSchema.options.join(', ')}`);
  return parsed.data;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      'public-key': { type: 'string' },
      fingerprint: { type: 'string' },
      role: { type: 'string' },
      disable: { type: 'boolean' },
      enable: { type: 'boolean' },
      'prompt-password': { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      'password-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command] = positionals;
  if (values.help || !group || !command) {
    process.stdout.write(USAGE);
    process.exit(values.help ? 0 : 1);
  }

  const dbPath = values.db ?? process.env.MESHDECK_DB ?? `${repoRoot}data/meshdeck.db`;
  let db: Db;
  try {
    db = openDb(dbPath);
  } catch (error) {
    fail(`could not open the store: ${error instanceof Error ? error.message : String(error)}`);
  }
  const apiKeys = createApiKeyRepository(db, systemClock);
  const audit = createAuditRepository(db, systemClock);
  const users = createUsersRepository(db, systemClock, apiKeys, audit);
  // Changes made here are audited as the operating-system user, via cli.
  const actor = {
    name: `${userInfo().username} (cli)`,
    role: 'admin' as const,
    via: 'cli' as const,
  };
  const auditKey = (action: 'CREATE' | 'DELETE', key: ApiKey, user: ApiUser) =>
    audit.record({
      kind: 'ApiKey',
      action,
      resourceId: `${key.userId}/${key.fingerprint}`,
      actor,
      after: {
        userName: user.name,
        fingerprint: key.fingerprint,
        ...(key.timeRevoked ? { timeRevoked: key.timeRevoked } : {}),
      },
    });
  const need = (name: 'name' | 'user' | 'out' | 'public-key' | 'fingerprint'): string =>
    values[name] ?? fail(`${group} ${command} needs --${name}\n\n${USAGE}`);
  const userNamed = (name: string): ApiUser =>
    apiKeys.findUserByName(name) ??
    fail(`no user named ${name} (npm run meshdeck -- user create --name ${name})`);
  const print = (line: string) => process.stdout.write(`${line}\n`);

  try {
    switch (`${group} ${command}`) {
      case 'user create': {
        const name = need('name');
        const role = roleOf(values.role) ?? 'operator';
        const passwordHash = await readPassword(values);
        const user = runAs({ actor, recorded: 0 }, () =>
          users.create({ name, role, ...(passwordHash ? { passwordHash } : {}) }),
        );
        print(
          `created user ${user.name} (${user.role}${passwordHash ? ', can sign in to the console' : ', API keys only'})\n  id:      ${user.id}\n  tenancy: ${user.tenancyId}\n  store:   ${db.name}`,
        );
        break;
      }
      case 'user set': {
        const name = need('name');
        if (values.disable && values.enable) fail('give --disable or --enable, not both');
        const role = roleOf(values.role);
        const passwordHash = await readPassword(values);
        const disabled = values.disable ? true : values.enable ? false : undefined;
        const user = runAs({ actor, recorded: 0 }, () =>
          users.update(name, {
            ...(role ? { role } : {}),
            ...(disabled !== undefined ? { disabled } : {}),
            ...(passwordHash ? { passwordHash } : {}),
          }),
        );
        print(`${user.name}: ${user.role}${user.timeDisabled ? ', disabled' : ''}`);
        break;
      }
      case 'user list':
        for (const user of users.list()) {
          const state = user.timeDisabled
            ? 'disabled'
            : user.passwordHash
              ? 'console+keys'
              : 'keys only';
          print(`${user.name}\t${user.role}\t${state}\t${user.id}`);
        }
        break;
      case 'apikey create': {
        const name = need('user');
        const dir = resolve(expandHome(need('out')));
        const keyFile = join(dir, `meshdeck-${name}.pem`);
        const configFile = join(dir, `meshdeck-${name}.config`);
        for (const file of [keyFile, configFile]) {
          if (existsSync(file)) fail(`${file} exists; choose another --out or move it away`);
        }
        let user = apiKeys.findUserByName(name);
        if (!user) {
          const account = runAs({ actor, recorded: 0 }, () =>
            users.create({ name, role: 'operator' }),
          );
          user = userNamed(account.name);
          print(`created user ${user.name} (${user.id}, operator)`);
        }
        const pair = generateApiKeyPair();
        const key = apiKeys.addKey(user.id, pair.publicKeyPem);
        auditKey('CREATE', key, user);
        const config = ociConfigSnippet({
          ...(values.profile ? { profile: values.profile } : {}),
          userId: user.id,
          tenancyId: user.tenancyId,
          fingerprint: key.fingerprint,
          keyFile,
        });
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        writeFileSync(keyFile, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
        writeFileSync(configFile, config, { mode: 0o600, flag: 'wx' });
        print(`registered key ${key.fingerprint} for ${user.name}`);
        print(`  private key: ${keyFile}`);
        print(`  OCI config:  ${configFile}\n`);
        print(config);
        break;
      }
      case 'apikey register': {
        const user = userNamed(need('user'));
        const pem = readFileSync(resolve(expandHome(need('public-key'))), 'utf8');
        const key = apiKeys.addKey(user.id, pem);
        auditKey('CREATE', key, user);
        print(`registered key ${key.fingerprint} for ${user.name}`);
        print(`  keyId: ${user.tenancyId}/${user.id}/${key.fingerprint}`);
        break;
      }
      case 'apikey list': {
        const users = new Map(apiKeys.listUsers().map((u) => [u.id, u]));
        const only = values.user !== undefined ? userNamed(values.user).id : undefined;
        for (const key of apiKeys.listKeys(only)) {
          const user = users.get(key.userId);
          const state = key.timeRevoked ? `revoked ${key.timeRevoked}` : 'active';
          print(`${user?.name ?? key.userId}\t${key.fingerprint}\t${state}`);
        }
        break;
      }
      case 'apikey revoke': {
        const user = userNamed(need('user'));
        const key = apiKeys.revokeKey(user.id, need('fingerprint').toLowerCase());
        auditKey('DELETE', key, user);
        print(`revoked ${values.fingerprint} of ${user.name}`);
        break;
      }
      default:
        fail(`unknown command ${group} ${command}\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  } finally {
    db.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  // parseArgs' refusals (an unknown option, `--name -x`): its message, without a stack.
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    fail(`${(error as Error).message.split('\n').join(' ')} (npm run meshdeck -- --help)`);
  }
  throw error;
}
