import {
  belowMinimumMessage,
  effectiveMode,
  isAtLeast,
  modePath,
  modeRank,
  raiseBlockedMessage,
  type MtlsMode,
} from '../mtls/mtls.ts';
import type { EdgeState } from '../policy/edge-state.ts';
import type { MeshSnapshot } from '../topology/snapshot.ts';
import { deriveTopology, OUTSIDE_NODE_ID, type Topology } from '../topology/topology.ts';

/** One resource's mode change inside a stage. `to: null` means "inherit the mesh minimum". */
export type MigrationChange =
  | { kind: 'mesh'; id: string; name: string; from: MtlsMode; to: MtlsMode }
  | {
      kind: 'virtualService';
      id: string;
      name: string;
      from: MtlsMode | null;
      to: MtlsMode | null;
    };

/**
 * A stage is applied at once (one transaction); stages are separated by the propagation delay,
 * so no resource's effective mode moves more than one step per stage (OCI "Changing mTLS Settings
 * for a Deployed Mesh or Virtual Service"; case A10).
 */
export interface MigrationStage {
  changes: MigrationChange[];
}

export type MigrationTarget =
  | { kind: 'mesh'; minimum: MtlsMode; raiseBlockingServices?: boolean }
  | { kind: 'virtualService'; id: string; mode: MtlsMode | null };

/**
 * A plan, or why there is none: `MESH001` services declaring a less strict mode block a raise,
 * `VS001` a service target below the mesh minimum, `REF001` no such service in the mesh.
 */
export type MigrationPlan =
  | { ok: true; stages: MigrationStage[] }
  | { ok: false; reason: string; code: 'MESH001' | 'VS001' | 'REF001' };

/**
 * Plans a staged migration from the snapshot's current modes to a target. A mesh goes one adjacent
 * minimum per stage; when raising, services that declare a lower mode block it (case A6) unless
 * `raiseBlockingServices`, which raises them in the same stage, one step at a time. A service goes
 * one step per stage and never below the mesh minimum.
 */
export function planMigration(snapshot: MeshSnapshot, target: MigrationTarget): MigrationPlan {
  const minimum = snapshot.mesh.mtls.minimum;
  if (target.kind === 'mesh') {
    const path = modePath(minimum, target.minimum);
    const declared = new Map(snapshot.virtualServices.map((v) => [v.id, v.declaredMode]));
    const stages: MigrationStage[] = [];
    for (let i = 1; i < path.length; i++) {
      const from = path[i - 1] as MtlsMode;
      const to = path[i] as MtlsMode;
      const changes: MigrationChange[] = [];
      if (modeRank(to) > modeRank(from)) {
        const blockers = snapshot.virtualServices.filter((v) => {
          const d = declared.get(v.id);
          return d !== null && d !== undefined && !isAtLeast(d, to);
        });
        if (blockers.length > 0 && !target.raiseBlockingServices) {
          return {
            ok: false,
            code: 'MESH001',
            reason: `cannot raise the mesh minimum to ${to}: ${blockers
              .map((b) => b.name)
              .sort()
              .join(', ')} declare a less strict mode (include them to raise them first)`,
          };
        }
        for (const b of [...blockers].sort((x, y) => x.name.localeCompare(y.name))) {
          const d = declared.get(b.id) as MtlsMode;
          changes.push({ kind: 'virtualService', id: b.id, name: b.name, from: d, to });
          declared.set(b.id, to);
        }
      }
      changes.push({
        kind: 'mesh',
        id: snapshot.mesh.id,
        name: snapshot.mesh.displayName,
        from,
        to,
      });
      stages.push({ changes });
    }
    return { ok: true, stages };
  }

  const vs = snapshot.virtualServices.find((v) => v.id === target.id);
  if (!vs) return { ok: false, code: 'REF001', reason: 'no such virtual service in this mesh' };
  const finalMode = effectiveMode(target.mode, minimum);
  if (target.mode !== null && !isAtLeast(target.mode, minimum)) {
    return { ok: false, code: 'VS001', reason: belowMinimumMessage(target.mode, minimum) };
  }
  const path = modePath(effectiveMode(vs.declaredMode, minimum), finalMode);
  const stages: MigrationStage[] = [];
  let declared: MtlsMode | null = vs.declaredMode;
  for (let i = 1; i < path.length; i++) {
    const to: MtlsMode | null = i === path.length - 1 ? target.mode : (path[i] as MtlsMode);
    stages.push({
      changes: [{ kind: 'virtualService', id: vs.id, name: vs.name, from: declared, to }],
    });
    declared = to;
  }
  if (stages.length === 0 && vs.declaredMode !== target.mode) {
    // Same effective mode, only declared ↔ inherited: one stage, no traffic change.
    stages.push({
      changes: [
        {
          kind: 'virtualService',
          id: vs.id,
          name: vs.name,
          from: vs.declaredMode,
          to: target.mode,
        },
      ],
    });
  }
  return { ok: true, stages };
}

/**
 * Where a set of resources should end up: the mesh minimum and the declared modes of some of its
 * services (null = inherit). Services not named keep their declared mode; inheriting ones follow
 * the mesh. A rollback restores the state a migration started from this way.
 */
export interface MigrationGoal {
  minimum: MtlsMode;
  services: { id: string; mode: MtlsMode | null }[];
}

/** The state a migration starts from, kept so that it can be rolled back to. */
export function migrationStartState(
  snapshot: MeshSnapshot,
  stages: MigrationStage[],
): MigrationGoal {
  const ids = new Set<string>();
  for (const stage of stages) {
    for (const c of stage.changes) if (c.kind === 'virtualService') ids.add(c.id);
  }
  return {
    minimum: snapshot.mesh.mtls.minimum,
    services: snapshot.virtualServices
      .filter((v) => ids.has(v.id))
      .map((v) => ({ id: v.id, mode: v.declaredMode })),
  };
}

const stepToward = (from: MtlsMode, to: MtlsMode): MtlsMode =>
  (modePath(from, to)[1] as MtlsMode | undefined) ?? from;

/**
 * Plans the way from the snapshot to a goal (a rollback), one step of every effective mode per
 * stage. Within a stage the order keeps every single write valid: services that must hold or
 * raise their mode before the mesh moves (a declared mode never below the minimum, case A6; an
 * inheriting service pinned before the minimum moves without it, a service whose declared mode
 * equals the minimum going back to inheriting), then the mesh, then services that lower their mode
 * or go back to inheriting from another mode (after the mesh, so that every effective mode moves
 * once per stage and the 30 s timer of case A10 holds).
 */
export function planToGoal(snapshot: MeshSnapshot, goal: MigrationGoal): MigrationPlan {
  const wanted = new Map(goal.services.map((s) => [s.id, s.mode]));
  for (const [id, mode] of wanted) {
    const vs = snapshot.virtualServices.find((v) => v.id === id);
    if (vs && mode !== null && !isAtLeast(mode, goal.minimum)) {
      return {
        ok: false,
        code: 'VS001',
        reason: `${vs.name}: ${belowMinimumMessage(mode, goal.minimum)}`,
      };
    }
  }
  const services = [...snapshot.virtualServices].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  const declared = new Map(services.map((v) => [v.id, v.declaredMode]));
  let minimum = snapshot.mesh.mtls.minimum;
  const stages: MigrationStage[] = [];
  // Every effective mode is at most two steps from its goal, so three stages always suffice.
  for (let round = 0; round < 3; round++) {
    const nextMinimum = stepToward(minimum, goal.minimum);
    const before: MigrationChange[] = [];
    const after: MigrationChange[] = [];
    const blockers: string[] = [];
    for (const v of services) {
      const d = declared.get(v.id) ?? null;
      if (!wanted.has(v.id)) {
        if (d !== null && !isAtLeast(d, nextMinimum)) blockers.push(v.name);
        continue;
      }
      const target = wanted.get(v.id) ?? null;
      const current = effectiveMode(d, minimum);
      const next = stepToward(current, effectiveMode(target, goal.minimum));
      const nextDeclared = target === null && next === nextMinimum ? null : next;
      if (nextDeclared === d) continue;
      const change: MigrationChange = {
        kind: 'virtualService',
        id: v.id,
        name: v.name,
        from: d,
        to: nextDeclared,
      };
      const holdsBeforeMesh =
        nextDeclared === null
          ? d === minimum
          : d === null
            ? next !== nextMinimum
            : modeRank(nextDeclared) > modeRank(d);
      (holdsBeforeMesh ? before : after).push(change);
      declared.set(v.id, nextDeclared);
    }
    if (blockers.length > 0) {
      return { ok: false, code: 'MESH001', reason: raiseBlockedMessage(nextMinimum, blockers) };
    }
    const meshChange: MigrationChange[] =
      nextMinimum === minimum
        ? []
        : [
            {
              kind: 'mesh',
              id: snapshot.mesh.id,
              name: snapshot.mesh.displayName,
              from: minimum,
              to: nextMinimum,
            },
          ];
    minimum = nextMinimum;
    const changes = [...before, ...meshChange, ...after];
    if (changes.length === 0) break;
    stages.push({ changes });
  }
  return { ok: true, stages };
}

/** The snapshot after a stage's changes, for previews (pure; the input is not changed). */
export function applyStage(snapshot: MeshSnapshot, stage: MigrationStage): MeshSnapshot {
  let mesh = snapshot.mesh;
  const declared = new Map(snapshot.virtualServices.map((v) => [v.id, v.declaredMode]));
  for (const change of stage.changes) {
    if (change.kind === 'mesh') mesh = { ...mesh, mtls: { minimum: change.to } };
    else declared.set(change.id, change.to);
  }
  const minimum = mesh.mtls.minimum;
  return {
    ...snapshot,
    mesh,
    virtualServices: snapshot.virtualServices.map((v) => {
      const d = declared.get(v.id) ?? null;
      return {
        ...v,
        declaredMode: d,
        ...(v.mtls ? { mtls: { ...v.mtls, mode: effectiveMode(d, minimum) } } : {}),
      };
    }),
  };
}

export interface EdgeChange {
  edgeId: string;
  source: string;
  target: string;
  sourceName: string;
  targetName: string;
  from: EdgeState;
  to: EdgeState;
  reason: string;
}

export interface StagePreview {
  stage: MigrationStage;
  edgeChanges: EdgeChange[];
  /** Outside callers that lose access at this stage (their edge becomes `refused`). */
  newlyRefused: EdgeChange[];
}

export interface MigrationPreview {
  stages: StagePreview[];
  /** The topology once every stage has run: what the graph will show afterwards. */
  after: Topology;
}

function diff(before: Topology, after: Topology): EdgeChange[] {
  const names = new Map(after.nodes.map((n) => [n.id, n.name]));
  const old = new Map(before.edges.map((e) => [e.id, e]));
  const out: EdgeChange[] = [];
  for (const e of after.edges) {
    const prev = old.get(e.id);
    if (prev && prev.state !== e.state) {
      out.push({
        edgeId: e.id,
        source: e.source,
        target: e.target,
        sourceName: names.get(e.source) ?? e.source,
        targetName: names.get(e.target) ?? e.target,
        from: prev.state,
        to: e.state,
        reason: e.reason,
      });
    }
  }
  return out;
}

/**
 * The what-if of a migration: for each stage, which edges change state and which outside callers
 * will be refused, computed by the same deriveTopology/evaluateEdge the graph uses.
 */
export function previewMigration(
  snapshot: MeshSnapshot,
  stages: MigrationStage[],
): MigrationPreview {
  let current = snapshot;
  let before = deriveTopology(current);
  const previews: StagePreview[] = [];
  for (const stage of stages) {
    current = applyStage(current, stage);
    const after = deriveTopology(current);
    const edgeChanges = diff(before, after);
    previews.push({
      stage,
      edgeChanges,
      newlyRefused: edgeChanges.filter((c) => c.source === OUTSIDE_NODE_ID && c.to === 'refused'),
    });
    before = after;
  }
  return { stages: previews, after: before };
}
