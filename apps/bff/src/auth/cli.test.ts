import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../scripts/meshdeck.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'meshdeck-cli-'));
const db = join(dir, 'meshdeck.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MESHDECK_DB: db },
    input: 'a-password-long-enough\n',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the meshdeck command line', () => {
  it('creates a user and says in which store', () => {
    const made = run('user', 'create', '--name', 'alice', '--role', 'admin', '--password-stdin');
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('created user alice (admin, can sign in to the console)');
    expect(made.stdout).toContain(`store:   ${db}`);
  });

  it('refuses bad names and bad options in one line, without a stack', () => {
    const long = run('user', 'create', '--name', 'a'.repeat(300));
    expect(long.status).toBe(1);
    expect(long.stderr).toBe('meshdeck: name: must be at most 128 characters\n');
    const dash = run('user', 'create', '--name', '-x');
    expect(dash.status).toBe(1);
    expect(dash.stderr).toMatch(/^meshdeck: Option '--name' argument is ambiguous\..*\n$/);
    const bogus = run('user', 'create', '--bogus');
    expect(bogus.status).toBe(1);
    expect(bogus.stderr).toMatch(/^meshdeck: Unknown option '--bogus'/);
    for (const out of [long.stderr, dash.stderr, bogus.stderr]) expect(out).not.toMatch(/\n\s+at /);
  });

  it('says in one line when the store cannot be opened', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, 'user', 'list'], {
      encoding: 'utf8',
      env: { ...process.env, MESHDECK_DB: 'postgress://u:secret@127.0.0.1/x' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'meshdeck: could not open the store: the store must be a postgres:// (or postgresql://) URL or a SQLite file path, not a postgress:// URL\n',
    );
  });
});
