/**
 * The long fuzz run (issue #8): `npm run fuzz -- --runs 5000 [--seed N]` runs the write-endpoint
 * fuzz suite (apps/bff/src/fuzz) with FUZZ_RUNS bodies per endpoint and prints the status counts.
 * CI runs the same suite with its fixed seed and a few runs as part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '1000' }, seed: { type: 'string' } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('fuzz: --runs must be a whole number above 0\n');
  process.exit(1);
}
const seed = values.seed ?? String(Date.now() % 1_000_000_000);
if (!/^\d{1,10}$/.test(seed)) {
  process.stderr.write('fuzz: --seed must be a whole number\n');
  process.exit(1);
}
process.stdout.write(`fuzzing with seed ${seed}, ${runs} bodies per endpoint\n`);
const result = spawnSync('npx', ['vitest', 'run', 'apps/bff/src/fuzz'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: seed, FUZZ_REPORT: '1' },
});
process.exit(result.status ?? 1);
