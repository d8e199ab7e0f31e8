/**
 * 20 clients read-modify-write one resource with if-match: the final counter equals the number
 * of successful updates. Then pagination (small pages) while other resources are created and
 * deleted: every stable item is seen exactly once per pass.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  COMPARTMENT,
  createMesh,
  field,
  integrityCheck,
  sleep,
  tempDir,
  virtualServiceBody,
  waitActive,
  type Scenario,
} from '../lib.ts';

const CLIENTS = 20;

export const concurrentWriters: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('writers');
  const dbPath = join(dir, 'meshdeck.db');
  const bff = new Bff({ port: ctx.port(), dbPath });
  await bff.start();
  const meshId = await createMesh(bff);
  const created = await call('POST', `${bff.oci}/virtualServices`, {
    body: virtualServiceBody(meshId, 'counter', '0'),
  });
  const counterId = String(field(created.body, 'id'));
  await waitActive(bff, 'virtualServices', counterId);

  const durationMs = ctx.full ? 20_000 : 6_000;
  const until = Date.now() + durationMs;
  let successes = 0;
  const answers = new Map<number, number>();
  const client = async () => {
    while (Date.now() < until) {
      const read = await call('GET', `${bff.oci}/virtualServices/${counterId}`);
      const etag = read.headers.get('etag');
      const value = Number(field(read.body, 'description'));
      if (read.status !== 200 || !etag || !Number.isInteger(value)) {
        await sleep(20);
        continue;
      }
      const write = await call('PUT', `${bff.oci}/virtualServices/${counterId}`, {
        body: { description: String(value + 1) },
        headers: { 'if-match': etag, 'opc-retry-token': randomBytes(12).toString('hex') },
      });
      answers.set(write.status, (answers.get(write.status) ?? 0) + 1);
      if (write.status === 202) successes += 1;
      else await sleep(10 + Math.floor(Math.random() * 40));
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const final = await waitActive(bff, 'virtualServices', counterId);
  const finalValue = Number(final.description);
  const unexpected = [...answers.keys()].filter((s) => ![202, 409, 412].includes(s));
  check(successes > 0, 'no update succeeded');
  check(finalValue === successes, `final value ${finalValue}, successful updates ${successes}`);
  check(unexpected.length === 0, `unexpected answers: ${unexpected.join(', ')}`);

  // Pagination under churn.
  const stableMesh = await createMesh(bff, 'paging-mesh');
  const stable = new Set<string>();
  for (let i = 0; i < 45; i += 1) {
    const res = await call('POST', `${bff.oci}/virtualServices`, {
      body: virtualServiceBody(stableMesh, `stable-${i}`),
    });
    stable.add(String(field(res.body, 'id')));
    await sleep(2); // distinct timeCreated
  }
  for (const id of stable) await waitActive(bff, 'virtualServices', id);
  let churning = true;
  let churned = 0;
  const churn = async (c: number) => {
    for (let n = 0; churning; n += 1) {
      const res = await call('POST', `${bff.oci}/virtualServices`, {
        body: virtualServiceBody(stableMesh, `churn-${c}-${n}`),
      });
      if (res.status !== 200) continue;
      churned += 1;
      const id = String(field(res.body, 'id'));
      await waitActive(bff, 'virtualServices', id).catch(() => undefined);
      await call('DELETE', `${bff.oci}/virtualServices/${id}`);
    }
  };
  const churners = Array.from({ length: 3 }, (_, c) => churn(c));
  let passes = 0;
  let badPasses = 0;
  const problems: string[] = [];
  const pagingUntil = Date.now() + (ctx.full ? 15_000 : 5_000);
  const orders = [
    'sortBy=timeCreated&sortOrder=DESC',
    'sortBy=timeCreated&sortOrder=ASC',
    'sortBy=name&sortOrder=ASC',
  ];
  while (Date.now() < pagingUntil) {
    const order = orders[passes % orders.length];
    const seen = new Map<string, number>();
    let page: string | undefined;
    do {
      const res = await call(
        'GET',
        `${bff.oci}/virtualServices?compartmentId=${COMPARTMENT}&meshId=${stableMesh}&limit=7&${order}${page ? `&page=${encodeURIComponent(page)}` : ''}`,
      );
      if (res.status !== 200) {
        if (problems.length < 5) problems.push(`page answered ${res.status}`);
        break;
      }
      for (const item of (field(res.body, 'items') as { id: string }[]) ?? []) {
        seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
      }
      page = res.headers.get('opc-next-page') ?? undefined;
      await sleep(5);
    } while (page);
    passes += 1;
    const missing = [...stable].filter((id) => !seen.has(id)).length;
    const twice = [...stable].filter((id) => (seen.get(id) ?? 0) > 1).length;
    if (missing > 0 || twice > 0) {
      badPasses += 1;
      if (problems.length < 5)
        problems.push(`${order}: ${missing} stable items missing, ${twice} seen twice`);
    }
  }
  churning = false;
  await Promise.all(churners);
  check(
    passes > 0 && badPasses === 0,
    `pagination: ${badPasses} of ${passes} passes wrong: ${problems.join('; ')}`,
  );
  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);
  check(integrity === 'ok' && stopCode === 0, `integrity ${integrity}, stop ${stopCode}`);
  return {
    pass: failures.length === 0,
    failures,
    figures: {
      clients: CLIENTS,
      successfulUpdates: successes,
      finalValue,
      updateAnswers: Object.fromEntries(answers),
      lostWrites: Math.abs(successes - finalValue),
      paginationPasses: passes,
      paginationChurn: churned,
      paginationBadPasses: badPasses,
      integrityCheck: integrity,
    },
  };
};
