import { describe, expect, it } from 'vitest';
import { allow, snapshotBuilder } from '../testing/snapshot-builder.ts';
import { deriveTopology } from '../topology/topology.ts';
import { applyStage, planMigration, previewMigration } from './migration.ts';

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
