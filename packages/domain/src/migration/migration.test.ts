import { describe, expect, it } from 'vitest';
import { checkMeshMinimumChange } from '../mesh/mesh.rules.ts';
import { effectiveMode, isAtLeast, MTLS_MODES, type MtlsMode } from '../mtls/mtls.ts';
import { allow, snapshotBuilder } from '../testing/snapshot-builder.ts';
import type { MeshSnapshot } from '../topology/snapshot.ts';
import { deriveTopology } from '../topology/topology.ts';
import {
  checkDeclaredMode,
  checkVirtualServiceModeChange,
} from '../virtual-service/virtual-service.rules.ts';
import {
  applyStage,
  migrationStartState,
  planMigration,
  planToGoal,
  previewMigration,
  type MigrationGoal,
  type MigrationStage,
} from './migration.ts';
import { MigrationRequestSchema } from './migration.schema.ts';

const sandbox = () =>
  snapshotBuilder('sandbox-mesh', 'DISABLED')
    .vs('web')
    .vs('api', 'DISABLED')
    .vs('db', 'PERMISSIVE')
    .policy('open', [allow.allToAll()]);

const describeStages = (plan: ReturnType<typeof planMigration>) =>
  plan.ok
    ? plan.stages.map((s) =>
        s.changes.map((c) => `${c.name}:${c.from ?? 'inherit'}→${c.to ?? 'inherit'}`),
      )
    : plan.reason;

describe('planMigration', () => {
  it('takes a mesh from DISABLED to STRICT in two stages, raising blockers first when asked', () => {
    const s = sandbox().snapshot;
    expect(
      describeStages(
        planMigration(s, { kind: 'mesh', minimum: 'STRICT', raiseBlockingServices: true }),
      ),
    ).toEqual([
      ['api:DISABLED→PERMISSIVE', 'sandbox-mesh:DISABLED→PERMISSIVE'],
      ['api:PERMISSIVE→STRICT', 'db:PERMISSIVE→STRICT', 'sandbox-mesh:PERMISSIVE→STRICT'],
    ]);
  });

  it('refuses to raise a mesh over declaring services unless asked, naming them (case A6)', () => {
    expect(planMigration(sandbox().snapshot, { kind: 'mesh', minimum: 'STRICT' })).toEqual({
      ok: false,
      code: 'MESH001',
      reason:
        'cannot raise the mesh minimum to PERMISSIVE: api declare a less strict mode (include them to raise them first)',
    });
  });

  it('lowers a mesh one step per stage and never touches declaring services', () => {
    const s = snapshotBuilder('m', 'STRICT').vs('a').vs('b', 'STRICT').snapshot;
    expect(describeStages(planMigration(s, { kind: 'mesh', minimum: 'DISABLED' }))).toEqual([
      ['m:STRICT→PERMISSIVE'],
      ['m:PERMISSIVE→DISABLED'],
    ]);
  });

  it('moves a service one step per stage and ends on its target, inherit included', () => {
    const s = sandbox().snapshot;
    expect(
      describeStages(planMigration(s, { kind: 'virtualService', id: 'vs:web', mode: 'STRICT' })),
    ).toEqual([['web:inherit→PERMISSIVE'], ['web:PERMISSIVE→STRICT']]);
    expect(
      describeStages(planMigration(s, { kind: 'virtualService', id: 'vs:api', mode: null })),
    ).toEqual([['api:DISABLED→inherit']]);
  });

  it('refuses a service target below the mesh minimum', () => {
    const s = snapshotBuilder('m', 'PERMISSIVE').vs('a').snapshot;
    expect(planMigration(s, { kind: 'virtualService', id: 'vs:a', mode: 'DISABLED' })).toEqual({
      ok: false,
      code: 'VS001',
      reason: 'DISABLED is less strict than mesh minimum PERMISSIVE',
    });
  });

  it('never moves any effective mode more than one step in a stage', () => {
    const s = sandbox().snapshot;
    const plan = planMigration(s, { kind: 'mesh', minimum: 'STRICT', raiseBlockingServices: true });
    if (!plan.ok) throw new Error(plan.reason);
    let current = s;
    const rank = { DISABLED: 0, PERMISSIVE: 1, STRICT: 2 } as const;
    for (const stage of plan.stages) {
      const next = applyStage(current, stage);
      for (const v of next.virtualServices) {
        const before = current.virtualServices.find((x) => x.id === v.id)?.mtls?.mode ?? 'DISABLED';
        expect(Math.abs(rank[v.mtls?.mode ?? 'DISABLED'] - rank[before])).toBeLessThanOrEqual(1);
      }
      current = next;
    }
  });
});

describe('previewMigration', () => {
  it('names the outside callers that will be refused and equals the graph after the run', () => {
    const s = sandbox().snapshot;
    const plan = planMigration(s, { kind: 'mesh', minimum: 'STRICT', raiseBlockingServices: true });
    if (!plan.ok) throw new Error(plan.reason);
    const preview = previewMigration(s, plan.stages);

    expect(preview.stages[0]?.newlyRefused).toEqual([]);
    const inMesh = (preview.stages[0]?.edgeChanges ?? [])
      .filter((c) => c.sourceName !== 'Outside the mesh')
      .map((c) => `${c.sourceName}→${c.targetName}: ${c.from}→${c.to}`)
      .sort();
    expect(inMesh).toEqual([
      'api→web: plaintext→mtls',
      'db→api: plaintext→mtls',
      'db→web: plaintext→mtls',
      'web→api: plaintext→mtls',
    ]);
    expect(preview.stages[1]?.newlyRefused.map((c) => c.targetName).sort()).toEqual([
      'api',
      'db',
      'web',
    ]);

    const ran = plan.stages.reduce(applyStage, s);
    expect(preview.after).toEqual(deriveTopology(ran));
  });
});

/**
 * Applies a plan write by write, as the BFF's job does, each stage 30 s after the previous one,
 * and checks every write against the same rules the write service enforces. Returns the first
 * refusal, or the final state.
 */
function simulate(
  snapshot: MeshSnapshot,
  stages: MigrationStage[],
):
  | { ok: true; minimum: MtlsMode; declared: Map<string, MtlsMode | null> }
  | { ok: false; why: string } {
  const T0 = Date.parse('2025-03-01T00:00:00.000Z');
  let minimum = snapshot.mesh.mtls.minimum;
  let meshChangedAt: string | null = null;
  const names = new Map(snapshot.virtualServices.map((v) => [v.id, v.name]));
  const declared = new Map(snapshot.virtualServices.map((v) => [v.id, v.declaredMode]));
  const changedAt = new Map<string, string | null>();
  for (const [k, stage] of stages.entries()) {
    const now = new Date(T0 + k * 30_000);
    for (const c of stage.changes) {
      if (c.kind === 'mesh') {
        if (c.from !== minimum) return { ok: false, why: `stage ${k}: mesh from ${c.from}` };
        const findings = checkMeshMinimumChange({
          before: minimum,
          after: c.to,
          lastChangedAt: meshChangedAt,
          declaredServices: [...declared].map(([id, d]) => ({
            name: names.get(id) ?? id,
            declared: d,
            lastChangedAt: changedAt.get(id) ?? null,
          })),
          now,
        });
        if (findings.length > 0) return { ok: false, why: `stage ${k}: ${findings[0]?.message}` };
        minimum = c.to;
        meshChangedAt = now.toISOString();
        for (const [id, d] of declared) if (d === null) changedAt.set(id, now.toISOString());
      } else {
        const d = declared.get(c.id) ?? null;
        if (c.from !== d) return { ok: false, why: `stage ${k}: ${c.name} from ${c.from}` };
        const findings = [
          ...checkDeclaredMode(c.to, minimum),
          ...checkVirtualServiceModeChange({
            before: d,
            after: c.to,
            meshMinimum: minimum,
            lastChangedAt: changedAt.get(c.id) ?? null,
            now,
          }),
        ];
        if (findings.length > 0)
          return { ok: false, why: `stage ${k}: ${c.name}: ${findings[0]?.message}` };
        if (effectiveMode(d, minimum) !== effectiveMode(c.to, minimum))
          changedAt.set(c.id, now.toISOString());
        declared.set(c.id, c.to);
      }
    }
  }
  return { ok: true, minimum, declared };
}

const DECLARED: (MtlsMode | null)[] = [null, ...MTLS_MODES];

/** Every mesh of three services (a, b, c) whose declared modes respect the minimum. */
function everyMesh(): MeshSnapshot[] {
  const out: MeshSnapshot[] = [];
  for (const minimum of MTLS_MODES) {
    const ok = DECLARED.filter((d) => d === null || isAtLeast(d, minimum));
    for (const a of ok)
      for (const b of ok)
        for (const c of ok)
          out.push(
            snapshotBuilder('m', minimum)
              .vs('a', a)
              .vs('b', b)
              .vs('c', c)
              .policy('open', [allow.allToAll()]).snapshot,
          );
  }
  return out;
}

describe('every plan is a sequence of writes the rules accept', () => {
  it('holds for every mesh target, with and without raising blockers', () => {
    let planned = 0;
    for (const s of everyMesh()) {
      for (const minimum of MTLS_MODES) {
        for (const raiseBlockingServices of [false, true]) {
          const plan = planMigration(s, { kind: 'mesh', minimum, raiseBlockingServices });
          if (!plan.ok) continue;
          planned += 1;
          const run = simulate(s, plan.stages);
          expect(run, JSON.stringify(plan.stages)).toMatchObject({ ok: true, minimum });
        }
      }
    }
    expect(planned).toBeGreaterThan(100);
  });

  it('holds for every service target', () => {
    for (const s of everyMesh()) {
      for (const id of ['vs:a', 'vs:b']) {
        for (const mode of DECLARED) {
          const plan = planMigration(s, { kind: 'virtualService', id, mode });
          if (!plan.ok) {
            expect(mode !== null && !isAtLeast(mode, s.mesh.mtls.minimum)).toBe(true);
            continue;
          }
          const run = simulate(s, plan.stages);
          if (!run.ok) throw new Error(run.why);
          expect(run.declared.get(id)).toBe(mode);
        }
      }
    }
  });

  it('rolls every migration back to where it started (planToGoal)', () => {
    let checked = 0;
    for (const s of everyMesh()) {
      for (const minimum of MTLS_MODES) {
        const plan = planMigration(s, { kind: 'mesh', minimum, raiseBlockingServices: true });
        if (!plan.ok) continue;
        const start = migrationStartState(s, plan.stages);
        const after = plan.stages.reduce(applyStage, s);
        const back = planToGoal(after, start);
        if (!back.ok) throw new Error(back.reason);
        const run = simulate(after, back.stages);
        if (!run.ok) throw new Error(`${run.why} in ${JSON.stringify(back.stages)}`);
        expect(run.minimum).toBe(s.mesh.mtls.minimum);
        for (const v of s.virtualServices) expect(run.declared.get(v.id)).toBe(v.declaredMode);
        expect(back.stages.length).toBeLessThanOrEqual(2);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('reaches any valid goal from any mesh with writes the rules accept', () => {
    for (const s of everyMesh()) {
      for (const minimum of MTLS_MODES) {
        const ok = DECLARED.filter((d) => d === null || isAtLeast(d, minimum));
        for (const a of ok)
          for (const b of ok) {
            const goal: MigrationGoal = {
              minimum,
              services: [
                { id: 'vs:a', mode: a },
                { id: 'vs:b', mode: b },
                { id: 'vs:c', mode: s.virtualServices[2]?.declaredMode ?? null },
              ],
            };
            if (goal.services.some((g) => g.mode !== null && !isAtLeast(g.mode, minimum))) continue;
            const plan = planToGoal(s, goal);
            if (!plan.ok) throw new Error(plan.reason);
            const run = simulate(s, plan.stages);
            if (!run.ok) throw new Error(`${run.why} in ${JSON.stringify(plan.stages)}`);
            expect(run.minimum).toBe(minimum);
            expect(run.declared.get('vs:a')).toBe(a);
            expect(run.declared.get('vs:b')).toBe(b);
          }
      }
    }
  });

  it('refuses a goal that leaves a service it does not name below the new minimum', () => {
    const s = snapshotBuilder('m', 'DISABLED').vs('a', 'DISABLED').vs('b').snapshot;
    expect(planToGoal(s, { minimum: 'PERMISSIVE', services: [] })).toEqual({
      ok: false,
      code: 'MESH001',
      reason: 'cannot raise the mesh minimum to PERMISSIVE: a declares a less strict mode',
    });
  });
});

describe('MigrationRequestSchema', () => {
  it('takes a mesh or a service target, inherit as null, and refuses "" as a mode (case F6)', () => {
    expect(
      MigrationRequestSchema.safeParse({
        target: { kind: 'virtualService', id: 'vs:a', mode: null },
      }).success,
    ).toBe(true);
    expect(
      MigrationRequestSchema.safeParse({
        target: { kind: 'mesh', meshId: 'm', minimum: 'STRICT', raiseBlockingServices: true },
      }).success,
    ).toBe(true);
    const empty = MigrationRequestSchema.safeParse({
      target: { kind: 'virtualService', id: 'vs:a', mode: '' },
    });
    expect(empty.error?.issues.map((i) => i.message)).toEqual([
      'mode must be DISABLED, PERMISSIVE, STRICT or omitted',
    ]);
    expect(MigrationRequestSchema.safeParse({}).error?.issues[0]?.message).toBe('required');
  });
});
