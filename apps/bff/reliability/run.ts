/**
 * `npm run reliability [-- --full] [-- --only a,b]`: starts real BFF processes and runs the
 * reliability scenarios (docs/reliability.md), writes one JSON report and, with --full, the
 * summary block of docs/reliability.md. Exits 1 when any scenario fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'prettier';
import { killAll, repoRoot, shed, type Scenario, type ScenarioResult } from './lib.ts';
import { clockJumps } from './scenarios/clock-jumps.ts';
import { concurrentWriters } from './scenarios/concurrent-writers.ts';
import { diskFull } from './scenarios/disk-full.ts';
import { fuzzLive } from './scenarios/fuzz-live.ts';
import { killDuringMigrations } from './scenarios/kill-during-migrations.ts';
import { killDuringRenewals } from './scenarios/kill-during-renewals.ts';
import { killUnderLoad } from './scenarios/kill-under-load.ts';
import { lockedDatabase } from './scenarios/locked-database.ts';
import { overload } from './scenarios/overload.ts';
import { sigtermUnderLoad } from './scenarios/sigterm-under-load.ts';

const SCENARIOS: Record<string, Scenario> = {
  'kill-under-load': killUnderLoad,
  'kill-during-renewals': killDuringRenewals,
  'kill-during-migrations': killDuringMigrations,
  'sigterm-under-load': sigtermUnderLoad,
  'disk-full': diskFull,
  'locked-database': lockedDatabase,
  'clock-jumps': clockJumps,
  overload,
  'concurrent-writers': concurrentWriters,
  fuzz: fuzzLive,
};

const args = process.argv.slice(2);
const full = args.includes('--full');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',').filter(Boolean) : [];
const unknown = only.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(
    `unknown scenario ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`,
  );
  process.exit(2);
}
const reportArg = args.indexOf('--report');
const reportPath =
  reportArg >= 0 && args[reportArg + 1]
    ? String(args[reportArg + 1])
    : full
      ? join(repoRoot, 'docs/reliability-report.json')
      : join(repoRoot, 'test-results/reliability-report.json');

const portBase = Number(process.env.RELIABILITY_PORT_BASE ?? 9500);
let nextPort = portBase;
const ctx = {
  full,
  port: () => {
    const port = nextPort;
    nextPort = nextPort >= portBase + 99 ? portBase : nextPort + 1;
    return port;
  },
};

const started = Date.now();
const results: ScenarioResult[] = [];
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const t0 = Date.now();
  process.stdout.write(`${name} … `);
  let result: ScenarioResult;
  try {
    const outcome = await scenario(ctx);
    result = { name, ...outcome, seconds: Math.round((Date.now() - t0) / 100) / 10 };
  } catch (error) {
    result = {
      name,
      pass: false,
      failures: [`the scenario stopped: ${error instanceof Error ? error.message : String(error)}`],
      figures: {},
      seconds: Math.round((Date.now() - t0) / 100) / 10,
    };
  }
  await killAll();
  results.push(result);
  process.stdout.write(`${result.pass ? 'pass' : 'FAIL'} (${result.seconds} s)\n`);
  for (const failure of result.failures) process.stdout.write(`    ${failure}\n`);
}

const figure = (scenario: string, key: string): unknown =>
  results.find((r) => r.name === scenario)?.figures[key];
const sum = (key: string): number =>
  results.reduce(
    (total, r) => total + (typeof r.figures[key] === 'number' ? (r.figures[key] as number) : 0),
    0,
  );

const report = {
  mode: full ? 'full' : 'short',
  date: new Date().toISOString(),
  node: process.version,
  seconds: Math.round((Date.now() - started) / 1000),
  pass: results.every((r) => r.pass),
  kills: sum('kills'),
  acknowledgedWrites: sum('acknowledgedWrites'),
  lostWrites: sum('lostWrites'),
  duplicateExecutions: sum('duplicateExecutions'),
  jobsResumed: sum('jobsResumed'),
  fuzzCases: sum('fuzzCases'),
  integrityCheck: results.every(
    (r) => r.figures.integrityCheck === undefined || r.figures.integrityCheck === 'ok',
  )
    ? 'ok'
    : 'FAILED',
  diskFullMethod: figure('disk-full', 'method') ?? null,
  harnessClientsRetried429: shed.count,
  scenarios: results,
};

mkdirSync(dirname(reportPath), { recursive: true });
// Formatted as the repository's format check wants (the full report is committed).
writeFileSync(
  reportPath,
  await format(JSON.stringify(report, null, 2), { parser: 'json', printWidth: 100 }),
);
process.stdout.write(
  `\n${report.pass ? 'PASS' : 'FAIL'}: ${report.kills} kills, ${report.acknowledgedWrites} acknowledged writes, ${report.lostWrites} lost, ${report.duplicateExecutions} duplicates, ${report.jobsResumed} jobs resumed, ${report.fuzzCases} fuzz cases, integrity ${report.integrityCheck} (${report.seconds} s)\nreport: ${reportPath}\n`,
);

if (full && only.length === 0) {
  const docPath = join(repoRoot, 'docs/reliability.md');
  const doc = readFileSync(docPath, 'utf8');
  const begin = '<!-- reliability:begin -->';
  const end = '<!-- reliability:end -->';
  const rows = results
    .map((r) => {
      const shown = Object.entries(r.figures)
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ');
      return `| ${r.name} | ${r.pass ? 'pass' : 'FAIL'} | ${r.seconds} | ${shown.replace(/\|/g, '/')} |`;
    })
    .join('\n');
  const block = `${begin}
Last full run: ${report.date.slice(0, 16).replace('T', ' ')} UTC, Node ${report.node}, ${report.seconds} s, **${report.pass ? 'all scenarios pass' : 'FAILED'}**.

| figure | value |
| --- | --- |
| kills (kill -9) | ${report.kills} |
| acknowledged writes | ${report.acknowledgedWrites} |
| lost writes | ${report.lostWrites} |
| duplicate executions | ${report.duplicateExecutions} |
| jobs resumed after a kill | ${report.jobsResumed} |
| fuzz cases (no 5xx) | ${report.fuzzCases} |
| integrity check | ${report.integrityCheck} |
| disk full by | ${String(report.diskFullMethod)} |

| scenario | result | seconds | figures |
| --- | --- | --- | --- |
${rows}
${end}`;
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  const next =
    a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + end.length) : `${doc}\n${block}\n`;
  writeFileSync(
    docPath,
    await format(next, { parser: 'markdown', printWidth: 100, proseWrap: 'preserve' }),
  );
  process.stdout.write(`summary: ${docPath}\n`);
}

process.exit(report.pass ? 0 : 1);
