import { describe, expect, it } from 'vitest';
import type { Db } from '../db/open-db.ts';
import { openTestDb, testEngine } from '../testing/test-db.ts';
import { createStores } from './definitions.ts';
import { RESOURCE_KINDS, type SortBy, type SortOrder } from './resource-store.ts';

/** The database, with every statement the stores prepare recorded (the real one runs them). */
function recordingDb(): { db: Db; statements: string[] } {
  const real = openTestDb();
  const statements: string[] = [];
  const db = new Proxy(real, {
    get(target, key) {
      if (key === 'prepare') {
        return (sql: string) => {
          statements.push(sql);
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { db, statements };
}

describe('list pages (issue 9, migration 0008)', () => {
  // SQLite's query plans; PostgreSQL plans by table statistics, measured by `npm run bench`.
  it.runIf(testEngine === 'sqlite')(
    'walk an index in sort order for every kind, sort and direction, with and without a parent',
    () => {
      const { db, statements } = recordingDb();
      const stores = createStores(db);
      const plans: { sql: string; plan: string }[] = [];
      for (const kind of RESOURCE_KINDS) {
        const store = stores[kind];
        for (const sortBy of ['timeCreated', 'name', 'id'] as SortBy[]) {
          for (const sortOrder of ['ASC', 'DESC'] as SortOrder[]) {
            for (const parentId of store.descriptor.parent
              ? [undefined, 'ocid1.parent']
              : [undefined]) {
              statements.length = 0;
              store.list({
                compartmentId: 'ocid1.compartment.oc1..a',
                sortBy,
                sortOrder,
                limit: 50,
                ...(parentId ? { parentId } : {}),
              });
              const sql = statements.find((s) => s.includes('ORDER BY'));
              expect(sql).toBeDefined();
              const plan = (
                db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({
                  compartmentId: 'ocid1.compartment.oc1..a',
                  limit: 51,
                  ...(parentId ? { parentId } : {}),
                }) as { detail: string }[]
              )
                .map((row) => row.detail)
                .join('; ');
              plans.push({ sql: sql as string, plan });
            }
          }
        }
      }
      // 7 kinds × 3 sorts × 2 directions, with and without a parent for the six child kinds.
      expect(plans).toHaveLength(7 * 3 * 2 + 6 * 3 * 2);
      // No page sorts the rows it found (a temporary B-tree): each reads an index in order and stops
      // after the page.
      const sorting = plans.filter((p) => p.plan.includes('TEMP B-TREE'));
      expect(sorting).toEqual([]);
    },
  );

  it('pages through equal creation times in id order, each row once', () => {
    const db = openTestDb();
    const stores = createStores(db);
    const insert = db.prepare(
      `INSERT INTO meshes (id, compartment_id, name, lifecycle_state, etag, time_created, spec,
         mtls_minimum, ca_id) VALUES (?, 'c', ?, 'ACTIVE', 'e', ?, '{}', 'PERMISSIVE', 'ca')`,
    );
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const id = `ocid1.mesh.oc1..${String(i).padStart(2, '0')}`;
      ids.push(id);
      // Pairs share a creation time, so the id decides.
      insert.run(id, `m${i}`, `2025-01-0${1 + Math.floor(i / 2)}T00:00:00.000Z`);
    }
    for (const sortOrder of ['ASC', 'DESC'] as SortOrder[]) {
      const seen: string[] = [];
      let page: string | undefined;
      do {
        const result = stores.Mesh.list({
          compartmentId: 'c',
          sortBy: 'timeCreated',
          sortOrder,
          limit: 3,
          ...(page ? { page } : {}),
        });
        seen.push(...result.items.map((m) => m.id));
        page = result.nextPage;
      } while (page);
      expect(seen).toEqual(sortOrder === 'ASC' ? ids : [...ids].reverse());
    }
  });
});
