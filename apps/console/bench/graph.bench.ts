/**
 * The topology graph at scale, measured in Debian's Chromium (issue #7; P4, P5, P6 of issue #9).
 *
 *   node --import tsx apps/console/bench/graph.bench.ts [--full]
 *
 * For 100, 1 000 and 5 000 services (~3 allowed edges each, one gateway) it writes a fresh SQLite
 * file through the BFF's own stores, builds the console, starts the real BFF on it
 * (`MESHDECK_DEMO=0`), signs in through first-run setup, and in Chromium measures:
 * - P4: data → first complete render (the `meshdeck:topology-data` and
 *   `meshdeck:topology-rendered` marks the console sets), cold and after a reload with cached
 *   positions;
 * - P5: main-thread health while panning and zooming with the mouse (long tasks via
 *   PerformanceObserver, total blocking time, frames counted with requestAnimationFrame) and the
 *   JS heap;
 * - P6: the layout alone in its worker (`meshdeck:layout-done` mark), and in Node the same layout
 *   code after adding one service, with the share of nodes that moved.
 * Prints the rows as JSON; `apps/bff/bench/run.ts` calls runGraphBench for docs/benchmarks.md.
 */
import type { MtlsMode, Topology } from '@meshdeck/domain';
import { deriveTopology } from '@meshdeck/domain';
import { chromium, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../../bff/bench/bench-row.ts';
import { createBackend } from '../../bff/src/backend.ts';
import { createManualClock } from '../../bff/src/clock.ts';
import { meshSnapshot, loadMeshRecords } from '../../bff/src/console-api/views.ts';
import { openDb } from '../../bff/src/db/open-db.ts';
import { computeLayout } from '../src/features/topology/to-flow-graph.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const COMPARTMENT = 'ocid1.compartment.oc1..bench';
const T = '2025-03-01T00:00:00.000Z';
const SETUP_TOKEN = 'bench-setup-token-0123456789abcdef';
const PASSWORD = 'bench-password-0123456789';

interface SizeResult {
  services: number;
  edges: number;
  coldMs: number;
  cachedMs: number;
  longestTaskMs: number;
  tbtMs: number;
  fps: number;
  heapMb: number;
  workerLayoutMs: number;
  nodeLayoutMs: number;
  incrementalMs: number;
  movedPercent: number;
}

const id = (kind: string, i: number | string) => `ocid1.${kind}.oc1..bench${i}`;
const base = (ocid: string) => ({
  id: ocid,
  compartmentId: COMPARTMENT,
  lifecycleState: 'ACTIVE' as const,
  timeCreated: T,
  etag: `e-${ocid}`,
});

/** Writes a generated mesh straight into the BFF's stores (much faster than the HTTP API). */
function seedMesh(dbPath: string, services: number): string {
  const db = openDb(dbPath);
  const backend = createBackend(db, createManualClock(new Date(T)));
  const { stores } = backend;
  const meshId = id('servicemesh', 'mesh');
  db.transaction(() => {
    stores.Mesh.insert({
      ...base(meshId),
      displayName: `bulk-${services}`,
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..bench' }],
      mtls: { minimum: 'DISABLED' },
      mtlsChangedAt: null,
      caExternal: true,
    });
    const modes: (MtlsMode | null)[] = [null, 'PERMISSIVE', 'STRICT', 'PERMISSIVE', null];
    for (let i = 0; i < services; i += 1) {
      stores.VirtualService.insert({
        ...base(id('meshvirtualservice', i)),
        meshId,
        name: `vs-${i}`,
        hosts: [`vs-${i}.bulk.svc`],
        declaredMode: modes[i % modes.length] ?? null,
        mtlsChangedAt: null,
        maximumValidity: 45,
        certificateId: id('certificate', i),
      });
    }
    const gatewayId = id('meshingressgateway', 'gw');
    stores.IngressGateway.insert({
      ...base(gatewayId),
      meshId,
      name: 'bulk-gw',
      hosts: [
        {
          name: 'main',
          hostnames: ['bulk.example.com'],
          listeners: [{ protocol: 'HTTP', port: 8080 }],
        },
      ],
      certificateId: id('certificate', 'gw'),
      maximumValidity: 45,
    } as never);
    stores.IngressGatewayRouteTable.insert({
      ...base(id('meshingressgatewayroutetable', 'gw')),
      ingressGatewayId: gatewayId,
      name: 'bulk-gw-routes',
      routeRules: Array.from({ length: Math.min(10, services) }, (_, i) => ({
        type: 'HTTP',
        path: `/s${i}`,
        pathType: 'PREFIX',
        destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: id('meshvirtualservice', i) }],
      })),
    } as never);
    const rules = [];
    for (let i = 0; i < services; i += 1) {
      for (const step of [1, 7, 31]) {
        rules.push({
          action: 'ALLOW' as const,
          source: {
            type: 'VIRTUAL_SERVICE' as const,
            virtualServiceId: id('meshvirtualservice', i),
          },
          destination: {
            type: 'VIRTUAL_SERVICE' as const,
            virtualServiceId: id('meshvirtualservice', (i + step) % services),
          },
        });
      }
    }
    for (let i = 0; i < Math.min(10, services); i += 1) {
      rules.push({
        action: 'ALLOW' as const,
        source: { type: 'INGRESS_GATEWAY' as const, ingressGatewayId: gatewayId },
        destination: {
          type: 'VIRTUAL_SERVICE' as const,
          virtualServiceId: id('meshvirtualservice', i),
        },
      } as never);
    }
    for (let p = 0; p * 50 < rules.length; p += 1) {
      stores.AccessPolicy.insert({
        ...base(id('meshaccesspolicy', p)),
        meshId,
        name: `ap-${String(p).padStart(4, '0')}`,
        rules: rules.slice(p * 50, p * 50 + 50),
      } as never);
    }
  })();
  db.close();
  return meshId;
}

/** The topology the BFF serves for that file, for the Node-side layout figures. */
function topologyOf(dbPath: string, meshId: string): Topology {
  const db = openDb(dbPath);
  try {
    const backend = createBackend(db, createManualClock(new Date(T)));
    const mesh = backend.stores.Mesh.get(meshId);
    if (!mesh) throw new Error('the seeded mesh is missing');
    return deriveTopology(meshSnapshot(loadMeshRecords(backend.stores, mesh)));
  } finally {
    db.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function startBff(
  dbPath: string,
  consoleDir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
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
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
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

/** First-run setup makes the admin and signs this browser context in (issue #8). */
async function signIn(page: Page): Promise<void> {
  const setup = await page.request.post('/api/setup', {
    data: { token: SETUP_TOKEN, name: 'bench-admin', password: PASSWORD },
  });
  // 404: a BFF without sign-in; 409: set up already (a second size reuses nothing, but be kind).
  if (![201, 404, 409].includes(setup.status())) {
    throw new Error(`setup failed: ${setup.status()} ${await setup.text()}`);
  }
}

async function renderTime(page: Page, timeoutMs: number): Promise<number> {
  await page.waitForFunction(
    () => performance.getEntriesByName('meshdeck:topology-rendered').length > 0,
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  return page.evaluate(() => {
    const data = performance.getEntriesByName('meshdeck:topology-data')[0];
    const rendered = performance.getEntriesByName('meshdeck:topology-rendered')[0];
    return (rendered?.startTime ?? 0) - (data?.startTime ?? 0);
  });
}

/** The console's marks, relative to the data mark, for a reader of stderr. */
function timeline(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('meshdeck:'));
    const t0 = marks.find((m) => m.name === 'meshdeck:topology-data')?.startTime ?? 0;
    return marks.map((m) => m.name.slice(9) + ' ' + Math.round(m.startTime - t0)).join(', ');
  })()`);
}

async function panAndZoom(page: Page, seconds: number) {
  // Page-side code as text: it runs in the browser, this file is typed for Node.
  await page.evaluate(`(() => {
    const b = { tasks: [], frames: 0, run: true };
    window.__bench = b;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.tasks.push(e.duration);
    }).observe({ type: 'longtask' });
    const tick = () => {
      if (!b.run) return;
      b.frames += 1;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const box = await page.locator('.topology-canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const started = Date.now();
  let dir = 1;
  while (Date.now() - started < seconds * 1000) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let s = 1; s <= 20; s += 1) await page.mouse.move(cx + dir * s * 15, cy + dir * s * 6);
    await page.mouse.up();
    for (let z = 0; z < 4; z += 1) await page.mouse.wheel(0, dir * -120);
    dir = -dir;
  }
  const elapsed = (Date.now() - started) / 1000;
  return page.evaluate<{ longest: number; tbt: number; fps: number; heapMb: number }>(`(() => {
    const b = window.__bench;
    b.run = false;
    const heap = performance.memory;
    return {
      longest: b.tasks.length ? Math.max(...b.tasks) : 0,
      tbt: b.tasks.reduce((s, d) => s + Math.max(0, d - 50), 0),
      fps: b.frames / ${elapsed},
      heapMb: heap ? heap.usedJSHeapSize / 2 ** 20 : NaN,
    };
  })()`);
}

/** Layout in Node with the worker's code: whole graph, then after adding one service. */
function incremental(topology: Topology) {
  let started = performance.now();
  const before = computeLayout(topology);
  const nodeLayoutMs = performance.now() - started;
  const anchor = topology.nodes.find((n) => n.kind === 'virtualService');
  if (!anchor || anchor.kind !== 'virtualService') throw new Error('no service');
  const added: Topology = {
    ...topology,
    nodes: [...topology.nodes, { ...anchor, id: 'bench-new', name: 'vs-new' }],
    edges: [
      ...topology.edges,
      {
        id: `${anchor.id}->bench-new`,
        source: anchor.id,
        target: 'bench-new',
        state: 'mtls',
        reason: 'bench',
        matchedRules: [],
        origins: ['policy'],
      },
    ],
  };
  started = performance.now();
  const after = computeLayout(added);
  const incrementalMs = performance.now() - started;
  let moved = 0;
  for (const [nodeId, p] of before.nodes) {
    const q = after.nodes.get(nodeId);
    if (!q || Math.abs(q.x - p.x) > 0.5 || Math.abs(q.y - p.y) > 0.5) moved += 1;
  }
  return { nodeLayoutMs, incrementalMs, movedPercent: (moved / before.nodes.size) * 100 };
}

async function measureSize(
  services: number,
  consoleDir: string,
  workDir: string,
  panSeconds: number,
): Promise<SizeResult> {
  const dbPath = join(workDir, `graph-${services}.db`);
  const meshId = seedMesh(dbPath, services);
  const topology = topologyOf(dbPath, meshId);
  const layout = incremental(topology);
  const { url, child } = await startBff(dbPath, consoleDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
  });
  try {
    const context = await browser.newContext({
      baseURL: url,
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    await page.goto('/');
    await signIn(page);
    const path = `/meshes/${encodeURIComponent(meshId)}/topology`;
    // GRAPH_BENCH_PROFILE=1: where the main thread spends the cold load (top functions, self time).
    const profiler = process.env.GRAPH_BENCH_PROFILE
      ? await context.newCDPSession(page)
      : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    await page.goto(path);
    const coldMs = await renderTime(page, 120_000);
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      const self = new Map<string, number>();
      const dt = profile.timeDeltas ?? [];
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      (profile.samples ?? []).forEach((sample, i) => {
        const f = byId.get(sample)?.callFrame;
        const name = `${f?.functionName || '(anonymous)'} ${f?.url.split('/').pop() ?? ''}:${f?.lineNumber ?? ''}`;
        self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
      });
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
      process.stderr.write(`${top.map(([n, ms]) => `${Math.round(ms)} ms ${n}`).join('\n')}\n`);
    }
    process.stderr.write(`graph bench ${services}: ${await timeline(page)}\n`);
    const workerLayoutMs = await page.evaluate<number>(`(() => {
      const done = performance.getEntriesByName('meshdeck:layout-done')[0];
      return done && done.detail ? done.detail.ms : NaN;
    })()`);
    // A reload keeps sessionStorage: the positions come from the cache.
    await page.reload();
    const cachedMs = await renderTime(page, 120_000);
    const health = await panAndZoom(page, panSeconds);
    await context.close();
    return {
      services,
      edges: topology.edges.length,
      coldMs,
      cachedMs,
      longestTaskMs: health.longest,
      tbtMs: health.tbt,
      fps: health.fps,
      heapMb: health.heapMb,
      workerLayoutMs,
      ...layout,
    };
  } finally {
    await browser.close();
    child.kill();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const round = (n: number) => (Number.isFinite(n) ? Math.round(n) : 'n/a');

function rows(results: SizeResult[], full: boolean): BenchRow[] {
  const sizes = results
    .map((r) => `${r.services.toLocaleString('en')} VS / ${r.edges.toLocaleString('en')} edges`)
    .join(', ');
  const coldGoal: Record<number, number> = { 100: 500, 1000: 1500, 5000: 4000 };
  const cachedGoal: Record<number, number> = { 100: 700, 1000: 700, 5000: 1500 };
  const layoutGoal: Record<number, number> = { 100: 200, 1000: 1000, 5000: 8000 };
  const mode = full ? 'full' : 'short';
  return [
    {
      id: 'P4',
      what: `graph ready, data → first complete render, Chromium (${sizes}; ${mode})`,
      measured: results
        .map(
          (r) => `${r.services.toLocaleString('en')}: cold ${s(r.coldMs)}, cached ${s(r.cachedMs)}`,
        )
        .join('; '),
      goal: 'cold ≤ 0.5 / 1.5 / 4 s; with cached positions ≤ 0.7 s at 1 000 and ≤ 1.5 s at 5 000',
      met: results.every(
        (r) =>
          r.coldMs <= (coldGoal[r.services] ?? Infinity) &&
          r.cachedMs <= (cachedGoal[r.services] ?? Infinity),
      ),
    },
    {
      id: 'P5',
      what: `main thread while panning and zooming with the mouse (${sizes})`,
      measured: results
        .map(
          (r) =>
            `${r.services.toLocaleString('en')}: TBT ${round(r.tbtMs)} ms, longest task ${round(r.longestTaskMs)} ms, ${round(r.fps)} FPS, heap ${round(r.heapMb)} MB`,
        )
        .join('; '),
      goal: 'TBT ≤ 200 ms at every size; ≥ 55 FPS up to 1 000, ≥ 45 at 5 000; heap ≤ 150 MB at 5 000',
      met: results.every(
        (r) =>
          r.tbtMs <= 200 &&
          r.fps >= (r.services <= 1000 ? 55 : 45) &&
          (r.services < 5000 || r.heapMb <= 150),
      ),
    },
    {
      id: 'P6',
      what: `layout alone: in its worker (Chromium), and in Node with the same code after adding one service (${sizes})`,
      measured: results
        .map(
          (r) =>
            `${r.services.toLocaleString('en')}: worker ${s(r.workerLayoutMs)}, Node ${s(r.nodeLayoutMs)}, +1 service ${round(r.incrementalMs)} ms with ${r.movedPercent.toFixed(1)} % moved`,
        )
        .join('; '),
      goal: '≤ 0.2 / 1 / 8 s at 100 / 1 000 / 5 000; incremental ≤ 200 ms with ≤ 5 % of nodes moved',
      met: results.every(
        (r) =>
          r.workerLayoutMs <= (layoutGoal[r.services] ?? Infinity) &&
          r.incrementalMs <= 200 &&
          r.movedPercent <= 5,
      ),
    },
  ];
}

export async function runGraphBench(opts: {
  full: boolean;
  /** Default 100, 1 000 and 5 000 services (`--sizes=1000` on the command line). */
  sizes?: number[];
}): Promise<BenchRow[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'meshdeck-graph-bench-'));
  try {
    const consoleDir = join(workDir, 'console');
    const build = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules/vite/bin/vite.js'),
        'build',
        'apps/console',
        '--outDir',
        consoleDir,
        '--emptyOutDir',
        // Its own output folder: other builds of this checkout may run at the same time.
        '--bypass-lock',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (build.status !== 0) throw new Error('the console build failed');
    const results: SizeResult[] = [];
    for (const services of opts.sizes ?? [100, 1000, 5000]) {
      results.push(await measureSize(services, consoleDir, workDir, opts.full ? 10 : 4));
      process.stderr.write(`graph bench: ${JSON.stringify(results.at(-1))}\n`);
    }
    return rows(results, opts.full);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv
    .find((a) => a.startsWith('--sizes='))
    ?.slice('--sizes='.length)
    .split(',')
    .map(Number);
  const result = await runGraphBench({
    full: process.argv.includes('--full'),
    ...(sizes ? { sizes } : {}),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
