/**
 * P11: page metrics of the console in Debian's Chromium, driven by Playwright.
 *
 *   node --import tsx apps/bff/bench/page-metrics.bench.ts [--full] [--console=<built dist>]
 *
 * A SQLite file is seeded through the store code (one mesh, 1 000 virtual services, policies that
 * let each call three others); the real BFF serves it with the console build, and the browser
 * signs in through first-run setup. Three pages, each loaded cold in a fresh page (the sign-in
 * cookie kept): the services list, a virtual service's detail, the mesh's graph. On each:
 * - LCP: the last `largest-contentful-paint` entry before the first input;
 * - CLS: the sum of `layout-shift` entries without recent input;
 * - TBT: long tasks (PerformanceObserver `longtask`) from navigation until the page is idle,
 *   each counting what it runs over 50 ms;
 * - interaction: a scripted click (a real input event through the DevTools protocol) on a tab or
 *   link of the page, measured with Event Timing (the `event` entry's duration: input to the next
 *   paint) and, as a cross-check, from the click to the second animation frame after it.
 * The figure per page is the median of `runs` loads (3; 5 with --full), the worst in brackets.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../src/backend.ts';
import { systemClock } from '../src/clock.ts';
import { openDb } from '../src/db/open-db.ts';
import type { BenchRow } from './bench-row.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const COMPARTMENT = 'ocid1.compartment.oc1..bench';
const SETUP_TOKEN = 'bench-setup-token-0123456789abcdef';
const PASSWORD = 'bench-password-0123456789';
const SERVICES = 1_000;

interface PageFigures {
  lcpMs: number;
  cls: number;
  tbtMs: number;
  interactionMs: number;
  clickToFrameMs: number;
}

function seed(dbPath: string): { meshId: string; serviceId: string } {
  const db = openDb(dbPath);
  try {
    const { services } = createBackend(db, systemClock);
    const mesh = services.Mesh.create({
      compartmentId: COMPARTMENT,
      displayName: 'bench-mesh',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..pages' }],
    }).record;
    const ids: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < SERVICES; i += 1) {
        ids.push(
          services.VirtualService.create({
            compartmentId: COMPARTMENT,
            meshId: mesh.id,
            name: `svc-${i}`,
            hosts: [`svc-${i}.bench.svc`],
          }).record.id,
        );
      }
      const rules = ids.flatMap((id, i) =>
        [1, 7, 31].map((d) => ({
          action: 'ALLOW',
          source: { type: 'VIRTUAL_SERVICE', virtualServiceId: id },
          destination: {
            type: 'VIRTUAL_SERVICE',
            virtualServiceId: ids[(i + d) % ids.length] as string,
          },
        })),
      );
      for (let i = 0; i < rules.length; i += 50) {
        services.AccessPolicy.create({
          compartmentId: COMPARTMENT,
          meshId: mesh.id,
          name: `policy-${i / 50}`,
          rules: rules.slice(i, i + 50),
        });
      }
    })();
    db.prepare('DELETE FROM jobs').run();
    return { meshId: mesh.id, serviceId: ids[0] as string };
  } finally {
    db.close();
  }
}

async function startBff(
  dbPath: string,
  consoleDir: string,
  port: number,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/bff/src/server.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MESHDECK_DB: dbPath,
      MESHDECK_DEMO: '0',
      MESHDECK_CONSOLE_DIR: consoleDir,
      MESHDECK_SECRET_KEY: randomBytes(32).toString('base64'),
      MESHDECK_SETUP_TOKEN: SETUP_TOKEN,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i += 1) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the BFF did not start');
}

/** Observers installed before any page script runs; they collect into window.__metrics. */
const OBSERVE = `(() => {
  const m = { lcp: 0, cls: 0, tasks: [], events: [] };
  window.__metrics = m;
  const observe = (type, fn, extra) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true, ...extra }); } catch {}
  };
  observe('largest-contentful-paint', (e) => { m.lcp = e.startTime; });
  observe('layout-shift', (e) => { if (!e.hadRecentInput) m.cls += e.value; });
  observe('longtask', (e) => { m.tasks.push([e.startTime, e.duration]); });
  observe('event', (e) => { m.events.push([e.name, e.duration]); }, { durationThreshold: 16 });
  observe('first-input', (e) => { m.events.push([e.name, e.duration]); });
})()`;

interface Collected {
  __metrics: { tasks: [number, number][] };
  __click: { frame: number };
}
type InPage = Collected & { performance: { now(): number } };

async function quiet(page: Page, ms = 600): Promise<void> {
  // Idle: no long task for \`ms\` (at most 20 s). Functions, not strings: the console's CSP
  // forbids eval.
  await page.waitForFunction(
    (quietMs) => {
      const w = globalThis as unknown as InPage;
      const last = w.__metrics.tasks.at(-1) ?? [0, 0];
      return w.performance.now() - (last[0] + last[1]) > quietMs;
    },
    ms,
    { timeout: 20_000, polling: 100 },
  );
}

async function measure(
  browser: Browser,
  base: string,
  storage: Awaited<ReturnType<BrowserContext['storageState']>>,
  path: string,
  ready: string,
  click: string,
): Promise<PageFigures> {
  const context = await browser.newContext({
    storageState: storage,
    viewport: { width: 1400, height: 900 },
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVE);
    await page.goto(`${base}${path}`);
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    await quiet(page);
    const load = await page.evaluate<{ lcp: number; cls: number; tbt: number }>(`(() => {
      const m = window.__metrics;
      return { lcp: m.lcp, cls: m.cls, tbt: m.tasks.reduce((s, t) => s + Math.max(0, t[1] - 50), 0) };
    })()`);
    // The interaction: a real click, then two animation frames.
    await page.evaluate(`(() => {
      window.__click = { at: 0, frame: 0 };
      addEventListener('pointerdown', () => {
        window.__click.at = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => { window.__click.frame = performance.now(); }));
      }, { capture: true, once: true });
    })()`);
    await page.locator(click).first().click();
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).__click.frame > 0,
      undefined,
      {
        timeout: 10_000,
      },
    );
    await quiet(page, 300);
    const input = await page.evaluate<{ event: number; frame: number }>(`(() => {
      const m = window.__metrics;
      const clicks = m.events.filter((e) => ['pointerdown', 'pointerup', 'click', 'mousedown', 'mouseup'].includes(e[0]));
      return { event: clicks.length ? Math.max(...clicks.map((e) => e[1])) : 0, frame: window.__click.frame - window.__click.at };
    })()`);
    return {
      lcpMs: Math.round(load.lcp),
      cls: Math.round(load.cls * 1000) / 1000,
      tbtMs: Math.round(load.tbt),
      interactionMs: Math.round(input.event),
      clickToFrameMs: Math.round(input.frame),
    };
  } finally {
    await context.close();
  }
}

export async function runPageMetricsBench(opts: {
  full: boolean;
  consoleDir?: string;
  port?: number;
}): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'meshdeck-pages-bench-'));
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    let consoleDir = opts.consoleDir;
    if (!consoleDir) {
      consoleDir = join(work, 'console');
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
    }
    const dbPath = join(work, 'meshdeck.db');
    const { meshId, serviceId } = seed(dbPath);
    const bff = await startBff(dbPath, consoleDir, opts.port ?? 9460);
    child = bff.child;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const setupContext = await browser.newContext();
    const setup = await setupContext.request.post(`${bff.url}/api/setup`, {
      data: { token: SETUP_TOKEN, name: 'bench-admin', password: PASSWORD },
    });
    if (![201, 404, 409].includes(setup.status())) {
      throw new Error(`setup failed: ${setup.status()} ${await setup.text()}`);
    }
    const storage = await setupContext.storageState();
    await setupContext.close();

    const pages = [
      {
        name: 'services list (1 000)',
        path: `/meshes/${meshId}/services`,
        ready: 'text=svc-1',
        click: 'role=link[name="svc-10"]',
      },
      {
        name: 'virtual service detail',
        path: `/virtual-services/${serviceId}`,
        ready: 'role=heading[name="svc-0"]',
        click: 'role=link[name="Edit"]',
      },
      {
        name: 'graph (1 000 services)',
        path: `/meshes/${meshId}/topology`,
        ready: '.react-flow__node',
        click: '.react-flow__node >> nth=0',
      },
    ];
    const runs = opts.full ? 5 : 3;
    const rows: BenchRow[] = [];
    for (const p of pages) {
      const figures: PageFigures[] = [];
      for (let i = 0; i < runs; i += 1) {
        figures.push(await measure(browser, bff.url, storage, p.path, p.ready, p.click));
      }
      const sorted = (k: keyof PageFigures) => figures.map((x) => x[k]).sort((x, y) => x - y);
      const median = (k: keyof PageFigures) => sorted(k)[Math.floor(runs / 2)] as number;
      const worst = (k: keyof PageFigures) => sorted(k).at(-1) as number;
      const both = (k: keyof PageFigures) => `${median(k)} (${worst(k)})`;
      process.stderr.write(`page metrics ${p.name}: ${JSON.stringify(figures)}\n`);
      rows.push({
        id: 'P11',
        what: `${p.name}, cold load, median (worst) of ${runs}`,
        measured: `LCP ${both('lcpMs')} ms; TBT ${both('tbtMs')} ms; CLS ${both('cls')}; interaction ${both('interactionMs')} ms (Event Timing; click → 2nd frame ${both('clickToFrameMs')} ms)`,
        goal: 'LCP ≤ 1.0 s, TBT ≤ 150 ms, CLS ≤ 0.02, interaction ≤ 100 ms',
        met:
          median('lcpMs') <= 1000 &&
          median('tbtMs') <= 150 &&
          median('cls') <= 0.02 &&
          median('interactionMs') <= 100,
      });
    }
    return rows;
  } finally {
    await browser?.close();
    if (child && child.exitCode === null) child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const consoleDir = process.argv
    .find((a) => a.startsWith('--console='))
    ?.slice('--console='.length);
  const rows = await runPageMetricsBench({
    full: process.argv.includes('--full'),
    ...(consoleDir ? { consoleDir } : {}),
  });
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
}
