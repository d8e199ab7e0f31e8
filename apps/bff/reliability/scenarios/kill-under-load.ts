/**
 * kill -9 at random instants while workers create, update and delete virtual services through the
 * OCI face; then every acknowledged write must be there, every acknowledged delete gone, nothing
 * done twice, and the database intact.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  createMesh,
  duplicateSerials,
  field,
  inspect,
  integrityCheck,
  jobsResumed,
  sleep,
  tempDir,
  virtualServiceBody,
  waitActive,
  waitFor,
  type Scenario,
} from '../lib.ts';

interface Tracked {
  id: string;
  name: string;
  /** Descriptions the resource may have now: one once a write is acknowledged. */
  descriptions: string[];
  /** 'acked': a delete answered 202; 'maybe': one was sent and its answer lost. */
  deleted: 'no' | 'acked' | 'maybe';
}

const WORKERS = 6;

/** Sends until an answer arrives (the BFF may be down between a kill and its restart). */
async function untilAnswered(
  send: () => ReturnType<typeof call>,
  stopAt: number,
): Promise<{ res?: Awaited<ReturnType<typeof call>>; lostAnswers: number }> {
  let lostAnswers = 0;
  while (Date.now() < stopAt) {
    try {
      const res = await send();
      if (
        res.status === 503 ||
        (res.status === 409 && field(res.body, 'code') === 'IncorrectState')
      ) {
        await sleep(200);
        continue;
      }
      return { res, lostAnswers };
    } catch {
      lostAnswers += 1;
      await sleep(100);
    }
  }
  return { lostAnswers };
}

export const killUnderLoad: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('kill');
  const dbPath = join(dir, 'meshdeck.db');
  const bff = new Bff({ port: ctx.port(), dbPath });
  await bff.start();
  const meshId = await createMesh(bff);
  const targetKills = ctx.full ? 30 : 3;
  const tracked: Tracked[] = [];
  const counts = { creates: 0, updates: 0, deletes: 0, lostAnswers: 0, refused: 0 };
  const unexpected: string[] = [];
  let running = true;
  const hardStop = Date.now() + (ctx.full ? 600_000 : 120_000);

  const worker = async (w: number) => {
    for (let n = 0; running; n += 1) {
      const name = `w${w}-${n}`;
      const createToken = randomBytes(12).toString('hex');
      const created = await untilAnswered(
        () =>
          call('POST', `${bff.oci}/virtualServices`, {
            body: virtualServiceBody(meshId, name),
            headers: { 'opc-retry-token': createToken },
          }),
        hardStop,
      );
      counts.lostAnswers += created.lostAnswers;
      if (!created.res) return;
      if (created.res.status !== 200) {
        counts.refused += 1;
        unexpected.push(
          `create ${name}: ${created.res.status} ${JSON.stringify(created.res.body)}`,
        );
        continue;
      }
      counts.creates += 1;
      const item: Tracked = {
        id: String(field(created.res.body, 'id')),
        name,
        descriptions: ['v0'],
        deleted: 'no',
      };
      tracked.push(item);
      // Two of three resources stay as created: more acknowledged writes per kill.
      if (!running) return;
      if (n % 3 !== 0) continue;
      const active = await waitActive(bff, 'virtualServices', item.id, 120_000).catch(
        () => undefined,
      );
      if (!active || !running) continue;
      const etagRes = await untilAnswered(
        () => call('GET', `${bff.oci}/virtualServices/${item.id}`),
        hardStop,
      );
      const etag = etagRes.res?.headers.get('etag');
      if (!etag) continue;
      const description = `u${n}-${randomBytes(3).toString('hex')}`;
      const updateToken = randomBytes(12).toString('hex');
      item.descriptions = ['v0', description];
      const updated = await untilAnswered(
        () =>
          call('PUT', `${bff.oci}/virtualServices/${item.id}`, {
            body: { description },
            headers: { 'if-match': etag, 'opc-retry-token': updateToken },
          }),
        hardStop,
      );
      counts.lostAnswers += updated.lostAnswers;
      if (updated.res?.status === 202) {
        counts.updates += 1;
        item.descriptions = [description];
      } else if (updated.res) {
        unexpected.push(
          `update ${name}: ${updated.res.status} ${JSON.stringify(updated.res.body)}`,
        );
      }
      if (n % 2 === 1 || !running) continue; // every other updated one is deleted
      await waitActive(bff, 'virtualServices', item.id, 120_000).catch(() => undefined);
      for (;;) {
        let res: Awaited<ReturnType<typeof call>>;
        try {
          res = await call('DELETE', `${bff.oci}/virtualServices/${item.id}`);
        } catch {
          // No answer: the delete may or may not have been applied before the kill.
          counts.lostAnswers += 1;
          item.deleted = 'maybe';
          if (Date.now() > hardStop) break;
          await sleep(100);
          continue;
        }
        if (res.status === 202) {
          item.deleted = 'acked';
          counts.deletes += 1;
          break;
        }
        const code = field(res.body, 'code');
        // A lost delete that was applied leaves the resource DELETING (409) or gone (404).
        if (item.deleted === 'maybe' && (code === 'IncorrectState' || res.status === 404)) break;
        if (res.status === 503 || code === 'IncorrectState') {
          await sleep(200);
          continue;
        }
        unexpected.push(`delete ${name}: ${res.status} ${JSON.stringify(res.body)}`);
        break;
      }
    }
  };

  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
  let kills = 0;
  while (kills < targetKills && Date.now() < hardStop) {
    await sleep(
      ctx.full ? 500 + Math.floor(Math.random() * 2000) : 300 + Math.floor(Math.random() * 900),
    );
    await bff.kill9();
    kills += 1;
    await bff.start();
  }
  running = false;
  await Promise.all(workers);

  // Let every resumed job finish, then judge every acknowledged write.
  const settled = await waitFor(
    'no resource mid-write',
    () =>
      inspect(dbPath, (db) =>
        (db
          .prepare(
            `SELECT COUNT(*) FROM virtual_services WHERE lifecycle_state IN ('CREATING','UPDATING','DELETING')`,
          )
          .pluck()
          .get() as number) === 0
          ? true
          : undefined,
      ),
    90_000,
    500,
  ).catch(() => false);
  check(settled, 'resources were still CREATING/UPDATING/DELETING 90 s after the last kill');

  let lost = 0;
  const lostExamples: string[] = [];
  for (const item of tracked) {
    const res = await call('GET', `${bff.oci}/virtualServices/${item.id}`);
    const state = field(res.body, 'lifecycleState');
    const gone = res.status === 404 || state === 'DELETED';
    let ok: boolean;
    if (item.deleted === 'acked') ok = gone;
    else if (gone) ok = item.deleted === 'maybe';
    else
      ok = state === 'ACTIVE' && item.descriptions.includes(String(field(res.body, 'description')));
    if (!ok) {
      lost += 1;
      if (lostExamples.length < 5) {
        lostExamples.push(
          `${item.name}: expected ${item.deleted === 'acked' ? 'deleted' : item.descriptions.join('|')}, got ${res.status} ${String(state)} ${String(field(res.body, 'description'))}`,
        );
      }
    }
  }

  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);
  const db = inspect(dbPath, (d) => ({
    duplicateNames: d
      .prepare(
        `SELECT COUNT(*) FROM (SELECT name FROM virtual_services GROUP BY mesh_id, name HAVING COUNT(*) > 1)`,
      )
      .pluck()
      .get() as number,
    duplicateCreateRequests: d
      .prepare(
        `SELECT COUNT(*) FROM (
           SELECT json_extract(r.value, '$.identifier') AS rid FROM work_requests w, json_each(w.resources) r
           WHERE w.operation_type LIKE 'CREATE%' GROUP BY rid HAVING COUNT(*) > 1)`,
      )
      .pluck()
      .get() as number,
    duplicateSerials: duplicateSerials(d),
    extraLeafVersions: d
      .prepare(`SELECT COUNT(*) FROM certificate_versions WHERE version > 1`)
      .pluck()
      .get() as number,
    jobsResumed: jobsResumed(d),
    jobsFailed: d
      .prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'FAILED'`)
      .pluck()
      .get() as number,
    workRequestsFailed: d
      .prepare(`SELECT COUNT(*) FROM work_requests WHERE status = 'FAILED'`)
      .pluck()
      .get() as number,
  }));
  const duplicates =
    db.duplicateNames + db.duplicateCreateRequests + db.duplicateSerials + db.extraLeafVersions;
  const acknowledged = counts.creates + counts.updates + counts.deletes;

  check(kills >= targetKills, `only ${kills} of ${targetKills} kills happened`);
  check(acknowledged > 0, 'no write was acknowledged');
  check(lost === 0, `${lost} acknowledged writes lost: ${lostExamples.join('; ')}`);
  check(duplicates === 0, `${duplicates} duplicate executions (${JSON.stringify(db)})`);
  check(integrity === 'ok', `integrity_check: ${integrity}`);
  check(unexpected.length === 0, `unexpected answers: ${unexpected.slice(0, 5).join('; ')}`);
  check(
    db.jobsFailed === 0 && db.workRequestsFailed === 0,
    `failed jobs or work requests: ${JSON.stringify(db)}`,
  );
  check(stopCode === 0, `the BFF exited with ${stopCode} on SIGTERM`);

  return {
    pass: failures.length === 0,
    failures,
    figures: {
      kills,
      acknowledgedWrites: acknowledged,
      acknowledgedCreates: counts.creates,
      acknowledgedUpdates: counts.updates,
      acknowledgedDeletes: counts.deletes,
      answersLostToKills: counts.lostAnswers,
      lostWrites: lost,
      duplicateExecutions: duplicates,
      jobsResumed: db.jobsResumed,
      integrityCheck: integrity,
    },
  };
};
