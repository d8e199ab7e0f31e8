/**
 * The console's size budget (issue #9, P10), measured on a production build:
 *
 *   npm run build && npm run check:bundle [-- --dist=<dir>]
 *
 * - initial JS: what `/` loads before the first render — the module scripts and modulepreload
 *   links of dist/index.html and every chunk they import statically;
 * - non-lazy JS: every chunk reachable from an HTML entry without a dynamic `import()`;
 * - CSS: every stylesheet of the build;
 * - the layout engine (the topology layout and its worker) only in lazy chunks.
 *
 * Sizes are gzip level 9 of each file, summed. Prints one line per figure; exits 1 over budget.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUNDLE_BUDGET = {
  initialJsKb: 200,
  nonLazyJsKb: 350,
  cssKb: 30,
} as const;

export interface BundleReport {
  initialJsKb: number;
  nonLazyJsKb: number;
  cssKb: number;
  /** Every JS file of the build, gzipped, with whether it is loaded before any `import()`. */
  chunks: { file: string; kb: number; lazy: boolean }[];
  /** The chunks holding the layout engine (named layout… or topology…), all lazy when met. */
  layoutChunks: { file: string; lazy: boolean }[];
  problems: string[];
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gzipKb = (file: string) => kb(gzipSync(readFileSync(file), { level: 9 }).length);

/** `src`/`href` of the module scripts, modulepreloads and stylesheets of an HTML file. */
function htmlAssets(html: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (!url || /^[a-z]+:\/\//i.test(url)) continue;
    if (tag.startsWith('<script') && /type="module"/.test(tag)) scripts.push(url);
    else if (/rel="modulepreload"/.test(tag)) scripts.push(url);
    else if (/rel="stylesheet"/.test(tag)) styles.push(url);
  }
  return { scripts, styles };
}

/** The chunks a chunk imports statically (`import … from "./x.js"`, `import "./x.js"`). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(
    /(?:^|[;\s}])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g,
  )) {
    if (match[1]) found.add(match[1]);
  }
  for (const match of code.matchAll(
    /(?:^|[;\s}])export\s*[\w$*{}\s,]*?\s*from\s*["']([^"']+\.js)["']/g,
  )) {
    if (match[1]) found.add(match[1]);
  }
  return [...found];
}

function walk(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(dir, rel));
    else out.push(rel);
  }
  return out;
}

export function measureBundle(distDir: string): BundleReport {
  const problems: string[] = [];
  const indexHtml = join(distDir, 'index.html');
  if (!existsSync(indexHtml)) {
    return {
      initialJsKb: 0,
      nonLazyJsKb: 0,
      cssKb: 0,
      chunks: [],
      layoutChunks: [],
      problems: [`no build at ${distDir} (run npm run build first)`],
    };
  }
  const files = walk(distDir);
  const toRel = (url: string, from = '') =>
    posix.normalize(url.startsWith('/') ? url.slice(1) : posix.join(posix.dirname(from), url));

  const closure = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file) || !file.endsWith('.js')) continue;
      if (!existsSync(join(distDir, file))) {
        problems.push(`${file} is referenced but not in the build`);
        continue;
      }
      seen.add(file);
      const code = readFileSync(join(distDir, file), 'utf8');
      for (const spec of staticImports(code)) queue.push(toRel(spec, file));
    }
    return seen;
  };

  const index = htmlAssets(readFileSync(indexHtml, 'utf8'));
  const initial = closure(index.scripts.map((url) => toRel(url)));
  const htmlFiles = files.filter((f) => f.endsWith('.html'));
  const nonLazy = closure(
    htmlFiles.flatMap((f) =>
      htmlAssets(readFileSync(join(distDir, f), 'utf8')).scripts.map((u) => toRel(u, f)),
    ),
  );

  const jsFiles = files.filter((f) => f.endsWith('.js'));
  const chunks = jsFiles.map((file) => ({
    file,
    kb: gzipKb(join(distDir, file)),
    lazy: !nonLazy.has(file),
  }));
  const sizeOf = (set: Set<string>) =>
    Math.round(chunks.filter((c) => set.has(c.file)).reduce((sum, c) => sum + c.kb, 0) * 10) / 10;
  const cssKb =
    Math.round(
      files
        .filter((f) => f.endsWith('.css'))
        .reduce((sum, f) => sum + gzipKb(join(distDir, f)), 0) * 10,
    ) / 10;

  const layoutChunks = chunks
    .filter((c) => /^(layout|topology)/.test(posix.basename(c.file)))
    .map(({ file, lazy }) => ({ file, lazy }));
  if (layoutChunks.length === 0) {
    problems.push(
      'no layout/topology chunk found: the layout engine is not split into a lazy chunk',
    );
  }
  for (const chunk of layoutChunks) {
    if (!chunk.lazy) problems.push(`${chunk.file} (layout engine) loads before the first render`);
  }

  const report: BundleReport = {
    initialJsKb: sizeOf(initial),
    nonLazyJsKb: sizeOf(nonLazy),
    cssKb,
    chunks,
    layoutChunks,
    problems,
  };
  if (report.initialJsKb > BUNDLE_BUDGET.initialJsKb) {
    problems.push(
      `initial JS ${report.initialJsKb} KB gzipped is over ${BUNDLE_BUDGET.initialJsKb} KB`,
    );
  }
  if (report.nonLazyJsKb > BUNDLE_BUDGET.nonLazyJsKb) {
    problems.push(
      `non-lazy JS ${report.nonLazyJsKb} KB gzipped is over ${BUNDLE_BUDGET.nonLazyJsKb} KB`,
    );
  }
  if (report.cssKb > BUNDLE_BUDGET.cssKb) {
    problems.push(`CSS ${report.cssKb} KB gzipped is over ${BUNDLE_BUDGET.cssKb} KB`);
  }
  return report;
}

function arg(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist =
    arg('dist') ??
    process.env.MESHDECK_CONSOLE_DIR ??
    fileURLToPath(new URL('../dist', import.meta.url));
  const report = measureBundle(dist);
  const lines = [
    `initial JS   ${report.initialJsKb} KB gzipped (budget ${BUNDLE_BUDGET.initialJsKb} KB)`,
    `non-lazy JS  ${report.nonLazyJsKb} KB gzipped (budget ${BUNDLE_BUDGET.nonLazyJsKb} KB)`,
    `CSS          ${report.cssKb} KB gzipped (budget ${BUNDLE_BUDGET.cssKb} KB)`,
    `layout engine in: ${report.layoutChunks.map((c) => `${c.file} (${c.lazy ? 'lazy' : 'NOT lazy'})`).join(', ') || 'none found'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (report.problems.length > 0) {
    process.stderr.write(
      `bundle over budget:\n${report.problems.map((p) => `- ${p}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  process.stdout.write('bundle within budget\n');
}
