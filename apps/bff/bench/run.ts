/**
 * `npm run bench` — runs the benchmarks and writes their figures into docs/benchmarks.md, between
 * the `<!-- bench:results -->` markers. Short mode by default (a quick look); `--full` for the
 * record (100 000 certificates).
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { runCertSweepBench } from './cert-sweep.bench.ts';

const full = process.argv.includes('--full');
const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

const sweep = await runCertSweepBench({ count: full ? 100_000 : 5_000 });
process.stdout.write(`${JSON.stringify(sweep)}\n`);

// P8's goal is for 100 000 due certificates; a short run is scaled linearly, as the sweep is.
const projected100k = (sweep.sweepMs / sweep.certificates) * 100_000;
const goalMet = projected100k <= 30_000;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

const block = [
  '<!-- bench:results -->',
  `Last run: ${new Date().toISOString()} (${full ? 'full' : 'short'} mode) on ${machine}.`,
  '',
  '| id | what | measured | goal | met |',
  '| --- | --- | --- | --- | --- |',
  `| P8 | renewal sweep, ${sweep.certificates.toLocaleString('en')} due certificates (file database) | ${(sweep.sweepMs / 1000).toFixed(1)} s (${sweep.msPerCertificate} ms each, ${sweep.certificatesPerSecond}/s); ${full ? '' : `projected to 100 000: ${(projected100k / 1000).toFixed(0)} s; `}peak RSS ${sweep.peakRssMb} MB | all due ≤ 30 s at 100 000 | ${goalMet ? 'yes' : 'no'} |`,
  '<!-- /bench:results -->',
].join('\n');

const doc = readFileSync(docPath, 'utf8');
const marked = /<!-- bench:results -->[\s\S]*?<!-- \/bench:results -->/;
const updated = marked.test(doc)
  ? doc.replace(marked, block)
  : doc.replace(/^# Benchmarks\n/, `# Benchmarks\n\n${block}\n`);
writeFileSync(
  docPath,
  await format(updated, { parser: 'markdown', printWidth: 100, proseWrap: 'preserve' }),
);
process.stdout.write(`wrote ${docPath}\n`);
