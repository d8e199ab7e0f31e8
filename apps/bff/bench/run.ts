/**
 * `npm run bench` — runs the benchmarks of issue #9 and writes their figures into
 * docs/benchmarks.md, between the `<!-- bench:results -->` markers: every row with its same-run
 * baseline, its goal and whether it is met, and the machine and versions. Short mode by default
 * (a quick look, a few minutes; figures for 100 000 certificates are projected from fewer);
 * `--full` for the record. `--only=P8,P10` runs some of them.
 *
 * P1–P3 and P8 measure the store, so they run twice: on SQLite, and on PostgreSQL as rows of
 * their own (`P1 (PostgreSQL)`), with the same workload and goals, on the server at
 * `MESHDECK_BENCH_POSTGRES` or else a throwaway cluster the run starts and removes
 * (bench-postgres.ts). Without PostgreSQL's binaries those rows say "not run" and why.
 *
 * Every benchmark runs even when another fails; a failure becomes its row ("failed: …").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { format } from 'prettier';
import { BUNDLE_BUDGET, measureBundle } from '../../console/scripts/check-bundle-size.ts';
import { apiRows, runApiBench, type ApiBenchResult } from './api.bench.ts';
import { openBenchPostgres, type BenchPostgres } from './bench-postgres.ts';
import type { BenchRow } from './bench-row.ts';
import { rawSignKeygenRate, runCertSweepBench, type CertSweepResult } from './cert-sweep.bench.ts';
import { migrationRows, runMigrationBench } from './migration.bench.ts';
import { recoveryRows, runRecoveryBench } from './recovery.bench.ts';

const full = process.argv.includes('--full');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const docPath = join(repoRoot, 'docs/benchmarks.md');
const log = (text: string) => process.stderr.write(`bench: ${text}\n`);

const rows: BenchRow[] = [];
const raw: Record<string, unknown> = {};
/** The ids whose rows this run replaces (every id of every section that ran). */
const ran = new Set<string>();

const PG = ' (PostgreSQL)';
/** `P1` of `P1 (PostgreSQL)`. */
const baseId = (id: string) => (id.endsWith(PG) ? id.slice(0, -PG.length) : id);

/**
 * Runs one benchmark unless `--only` leaves it out. `engine` PostgreSQL: its rows (and failure
 * rows) carry ids like `P1 (PostgreSQL)`.
 */
async function section(
  ids: string[],
  run: () => Promise<BenchRow[]>,
  engine: 'SQLite' | 'PostgreSQL' = 'SQLite',
): Promise<void> {
  if (only && !ids.some((id) => only.includes(id))) return;
  for (const id of ids) ran.add(id);
  const label = ids.map((id) => (engine === 'PostgreSQL' ? id + PG : id)).join(', ');
  log(`${label}…`);
  const started = performance.now();
  try {
    const produced = await run();
    rows.push(...produced);
    for (const row of produced)
      log(`${row.id}${row.notRun ? '' : row.met ? ' met' : ' MISSED'}: ${row.measured}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${label} failed: ${message}`);
    for (const id of ids) {
      rows.push({
        id: engine === 'PostgreSQL' ? id + PG : id,
        what: 'the benchmark did not finish',
        measured: `failed: ${message.split('\n')[0]}`,
        goal: '',
        met: false,
      });
    }
  }
  log(`${label} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

// PostgreSQL, started on first use and stopped when the run ends (also on Ctrl-C).
let postgres: Promise<BenchPostgres | { notRun: string }> | undefined;
let postgresDescription: string | undefined;
function benchPostgres(): Promise<BenchPostgres | { notRun: string }> {
  postgres ??= openBenchPostgres().then((pg) => {
    if ('stop' in pg) {
      postgresDescription = pg.description;
      process.once('exit', () => pg.stop());
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.once(signal, () => process.exit(130));
    }
    return pg;
  });
  return postgres;
}

/** The rows a PostgreSQL section gives when it cannot run here: one per id, saying why. */
const notRunRows = (ids: string[], why: string): BenchRow[] =>
  ids.map((id) => ({
    id: id + PG,
    what: `the ${id} rows on PostgreSQL`,
    measured: why,
    goal: `as ${id} on SQLite`,
    met: false,
    notRun: true,
  }));

/** SQLite rows as PostgreSQL rows: their ids marked, the store named in each id's first row. */
function onPostgres(produced: BenchRow[], description: string): BenchRow[] {
  const seen = new Set<string>();
  return produced.map((row) => {
    const first = !seen.has(row.id);
    seen.add(row.id);
    return {
      ...row,
      id: row.id + PG,
      what: first ? `${row.what}; store: ${description}` : row.what,
    };
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// P10 first: it builds the console, which the page benchmarks also use.
const consoleDir = mkdtempSync(join(tmpdir(), 'meshdeck-bench-console-'));
await section(['P10'], async () => {
  const build = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      'apps/console',
      '--outDir',
      consoleDir,
      '--emptyOutDir',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (build.status !== 0) throw new Error('the console build failed');
  const report = measureBundle(consoleDir);
  raw.bundle = report;
  const layout = report.layoutChunks
    .map((c) => `${c.file.replace(/^assets\//, '')} (${c.lazy ? 'lazy' : 'NOT lazy'})`)
    .join(', ');
  return [
    {
      id: 'P10',
      what: 'console JS before first render (index.html scripts + modulepreloads + their static imports), gzip -9',
      measured: `${report.initialJsKb} KB`,
      goal: `≤ ${BUNDLE_BUDGET.initialJsKb} KB`,
      met: report.initialJsKb <= BUNDLE_BUDGET.initialJsKb,
    },
    {
      id: 'P10',
      what: 'all non-lazy JS; the layout engine',
      measured: `${report.nonLazyJsKb} KB; layout engine in ${layout || 'no chunk found'}`,
      goal: `≤ ${BUNDLE_BUDGET.nonLazyJsKb} KB; layout engine only in a lazy chunk`,
      met:
        report.nonLazyJsKb <= BUNDLE_BUDGET.nonLazyJsKb &&
        report.layoutChunks.length > 0 &&
        report.layoutChunks.every((c) => c.lazy),
    },
    {
      id: 'P10',
      what: 'all CSS, gzip -9',
      measured: `${report.cssKb} KB`,
      goal: `≤ ${BUNDLE_BUDGET.cssKb} KB`,
      met: report.cssKb <= BUNDLE_BUDGET.cssKb,
    },
  ];
});

const p8Count = full ? 100_000 : 10_000;
let floorRate: number | undefined;
const sweepFloorRate = () => (floorRate ??= rawSignKeygenRate(full ? 5_000 : 2_000));

/** The P8 rows of one engine's sweeps: all due (with the API alongside), a third due, a diagnostic. */
function p8Rows(r: {
  store: string;
  all: CertSweepResult;
  third: CertSweepResult;
  relaxed: CertSweepResult;
  relaxedWhat: string;
  relaxedGoal: string;
}): BenchRow[] {
  const count = p8Count;
  const scale = 100_000 / count;
  const rate = sweepFloorRate();
  const { all, third, relaxed } = r;
  const threads = all.threads || 1;
  const floorMs = (100_000 / (rate * threads)) * 1000;
  const allMs = all.sweepMs * scale;
  const thirdMs = third.sweepMs * scale;
  const projected = full ? '' : ` (${count.toLocaleString('en')} measured, ×${scale} projected)`;
  const idle = all.apiIdle;
  const during = all.apiDuringSweep;
  return [
    {
      id: 'P8',
      what: `renewal sweep, 100 000 certificates all due, ${r.store}, ${threads} issuing threads`,
      measured: `${s(allMs)}${projected}; ${all.msPerCertificate} ms/certificate; floor (raw P-256 keygen + ECDSA sign, ${rate}/s per thread × ${threads}): ${s(floorMs)}`,
      goal: '≤ 30 s',
      met: allMs <= 30_000,
    },
    {
      id: 'P8',
      what: r.relaxedWhat,
      measured: `${s(relaxed.sweepMs * scale)}${projected}; ${relaxed.msPerCertificate} ms/certificate; event-loop delay p99 ${relaxed.eventLoopDelayP99Ms} ms`,
      goal: r.relaxedGoal,
      met: relaxed.sweepMs * scale <= 30_000,
    },
    {
      id: 'P8',
      what: 'renewal sweep, 100 000 certificates, a third due',
      measured: `${s(thirdMs)}${projected}; ${third.due.toLocaleString('en')} renewed`,
      goal: '≤ 10 s',
      met: thirdMs <= 10_000,
    },
    {
      id: 'P8',
      what: 'API alongside the all-due sweep: GET a mesh (OCI face) at 200 req/s from another process; event-loop delay',
      measured: `API p99 ${during?.p99Ms ?? '?'} ms during vs ${idle?.p99Ms ?? '?'} ms idle (${idle && during && idle.p99Ms > 0 ? (during.p99Ms / idle.p99Ms).toFixed(1) : '?'}×; p50 ${during?.p50Ms ?? '?'} vs ${idle?.p50Ms ?? '?'} ms; ${(during?.errors ?? 0) + (idle?.errors ?? 0)} errors); event-loop delay p99 ${all.eventLoopDelayP99Ms} ms (max ${all.eventLoopDelayMaxMs})`,
      goal: 'API p99 ≤ 2× idle; event-loop delay p99 ≤ 50 ms',
      met: !!idle && !!during && during.p99Ms <= 2 * idle.p99Ms && all.eventLoopDelayP99Ms <= 50,
    },
  ];
}

await section(['P8'], async () => {
  const count = p8Count;
  sweepFloorRate();
  const all: CertSweepResult = await runCertSweepBench({
    count,
    apiRate: 200,
    idleMs: full ? 10_000 : 4_000,
  });
  const third: CertSweepResult = await runCertSweepBench({ count, dueFraction: 1 / 3 });
  // Diagnostic: the same sweep without an fsync per commit (the BFF runs FULL, decision 008).
  const normal: CertSweepResult = await runCertSweepBench({ count, synchronous: 'NORMAL' });
  raw.certSweep = { all, third, normal, floorRate };
  return p8Rows({
    store: 'file database',
    all,
    third,
    relaxed: normal,
    relaxedWhat:
      'diagnostic: the all-due sweep with synchronous=NORMAL (no fsync per commit; the BFF runs FULL)',
    relaxedGoal: '(not a goal: shows what the per-commit fsync costs)',
  });
});

await section(
  ['P8'],
  async () => {
    const pg = await benchPostgres();
    if ('notRun' in pg) return notRunRows(['P8'], pg.notRun);
    const count = p8Count;
    const sweep = async (
      label: string,
      options: Parameters<typeof runCertSweepBench>[0],
      settings?: Record<string, string>,
    ) => {
      const schema = pg.fresh(label, settings);
      try {
        return await runCertSweepBench({ ...options, postgresUrl: schema.url });
      } finally {
        schema.drop();
      }
    };
    const all = await sweep('p8_all', { count, apiRate: 200, idleMs: full ? 10_000 : 4_000 });
    const third = await sweep('p8_third', { count, dueFraction: 1 / 3 });
    // Diagnostic, as SQLite's NORMAL: commits do not wait for the WAL flush.
    const relaxed = await sweep('p8_async', { count }, { synchronous_commit: 'off' });
    raw.certSweepPostgres = { all, third, synchronousCommitOff: relaxed, floorRate };
    return p8Rows({
      store: pg.description,
      all,
      third,
      relaxed,
      relaxedWhat:
        'diagnostic: the all-due sweep with synchronous_commit=off (no wait for the WAL flush at commit; the BFF runs on)',
      relaxedGoal: '(not a goal: shows what waiting for the WAL flush costs)',
    }).map((row) => ({ ...row, id: row.id + PG }));
  },
  'PostgreSQL',
);

await section(['P9'], async () => {
  const result = await runMigrationBench({ services: 1_000 });
  raw.migration = result;
  return migrationRows(result);
});

await section(['P1', 'P2', 'P3'], async () => {
  // BENCH_PORT_BASE: another range when 9400–9499 are taken (e.g. by a concurrent bench run).
  const result = await runApiBench({ full, basePort: Number(process.env.BENCH_PORT_BASE ?? 9400) });
  raw.api = result;
  return apiRows(result);
});

await section(
  ['P1', 'P2', 'P3'],
  async () => {
    const pg = await benchPostgres();
    if ('notRun' in pg) return notRunRows(['P1', 'P2', 'P3'], pg.notRun);
    const schema = pg.fresh('api');
    let result: ApiBenchResult;
    try {
      result = await runApiBench({
        full,
        basePort: Number(process.env.BENCH_PORT_BASE ?? 9400),
        db: schema.url,
      });
    } finally {
      schema.drop();
    }
    raw.apiPostgres = result;
    return onPostgres(apiRows(result), pg.description);
  },
  'PostgreSQL',
);

await section(['P12'], async () => {
  const result = await runRecoveryBench({ rows: full ? 1_000_000 : 200_000, port: 9450 });
  raw.recovery = result;
  const produced = recoveryRows(result);
  if (!full)
    for (const row of produced) row.what += ' (short mode: 200 000 rows; --full: a million)';
  return produced;
});

// P4–P6: the graph benchmark of the console (apps/console/bench/graph.bench.ts), when present.
await section(['P4', 'P5', 'P6'], async () => {
  const graphBench = join(repoRoot, 'apps/console/bench/graph.bench.ts');
  if (!existsSync(graphBench))
    throw new Error('apps/console/bench/graph.bench.ts is not in this checkout');
  const mod = (await import(pathToFileURL(graphBench).href)) as {
    runGraphBench(opts: { full: boolean }): Promise<BenchRow[]>;
  };
  return mod.runGraphBench({ full });
});

// P11: page metrics in Chromium (apps/bff/bench/page-metrics.bench.ts), when present.
await section(['P11'], async () => {
  const pageBench = join(repoRoot, 'apps/bff/bench/page-metrics.bench.ts');
  if (!existsSync(pageBench))
    throw new Error('apps/bff/bench/page-metrics.bench.ts is not in this checkout');
  const mod = (await import(pathToFileURL(pageBench).href)) as {
    runPageMetricsBench(opts: {
      full: boolean;
      consoleDir: string;
      port: number;
    }): Promise<BenchRow[]>;
  };
  return mod.runPageMetricsBench({ full, consoleDir, port: 9460 });
});
rmSync(consoleDir, { recursive: true, force: true });
if (postgres) {
  const pg = await postgres.catch(() => undefined);
  if (pg && 'stop' in pg) pg.stop();
}

// With --only, the rows of the other benchmarks stay as the last run left them.
const previous = readFileSync(docPath, 'utf8');
const rowId = /^\|\s*(P\d+(?: \(PostgreSQL\))?)\s*\|/;
const keptRows: string[] = [];
if (only) {
  const block =
    /<!-- bench:results -->([\s\S]*?)<!-- \/bench:results -->/.exec(previous)?.[1] ?? '';
  for (const line of block.split('\n')) {
    const id = rowId.exec(line)?.[1];
    if (id && !ran.has(baseId(id))) keptRows.push(line.trim());
  }
}
const order = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P8', 'P9', 'P10', 'P11', 'P12'];
// By id, SQLite's rows before PostgreSQL's (the sort is stable: each engine's rows keep their order).
const rank = (id: string) => order.indexOf(baseId(id)) * 2 + (id.endsWith(PG) ? 1 : 0);
rows.sort((a, b) => rank(a.id) - rank(b.id));

const version = (pkg: string) => {
  try {
    const path = join(repoRoot, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
};
const chromium =
  spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'not found';
const sqlite = (() => {
  const db = new Database(':memory:');
  const v = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  return v;
})();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const block = [
  '<!-- bench:results -->',
  `Last run: ${new Date().toISOString()}, ${full ? 'full' : 'short'} mode (\`npm run bench${full ? ' -- --full' : ''}\`${only ? `; ${order.filter((id) => ran.has(id)).join(', ')} re-run, the other rows from the run before` : ''}).`,
  '',
  `Machine: ${machine}, load average at the end ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' / ',
    )}. Node ${process.version}, SQLite ${sqlite} (better-sqlite3 ${version('better-sqlite3')}),${postgresDescription ? ` ${postgresDescription} through libpq ${version('libpq')} (synchronous),` : ''} Express ${version('express')}, autocannon ${version('autocannon')}, Playwright ${version('@playwright/test')}, ${chromium}, Vite ${version('vite')}.`,
  '',
  '| id | what | measured (same-run baseline) | goal | met |',
  '| --- | --- | --- | --- | --- |',
  ...[
    ...keptRows.map((line) => ({ id: rowId.exec(line)?.[1] ?? '', line })),
    ...rows.map((r) => ({
      id: r.id,
      line: `| ${r.id} | ${cell(r.what)} | ${cell(r.measured)} | ${cell(r.goal)} | ${r.notRun ? '—' : r.met ? 'yes' : '**no**'} |`,
    })),
  ]
    .sort((a, b) => rank(a.id) - rank(b.id))
    .map((r) => r.line),
  '<!-- /bench:results -->',
].join('\n');

const doc = previous;
const marked = /<!-- bench:results -->[\s\S]*?<!-- \/bench:results -->/;
const updated = marked.test(doc)
  ? doc.replace(marked, block)
  : doc.replace(/^# Benchmarks\n/, `# Benchmarks\n\n${block}\n`);
writeFileSync(
  docPath,
  await format(updated, { parser: 'markdown', printWidth: 100, proseWrap: 'preserve' }),
);
process.stdout.write(`${JSON.stringify(raw)}\n`);
log(`wrote ${docPath}`);
// Done: exit even though a worker of the process-wide leaf issuer (started by the certificate
// jobs of the API P8 serves in this process) still holds a MessagePort open, and so that the
// exit handler removes the throwaway PostgreSQL cluster.
process.exit(0);
