import { ChangeCompartmentSchema, type Finding } from '@meshdeck/domain';
import type { Clock } from '../clock.ts';
import { inTransaction, isUniqueViolation, type Db } from '../db/open-db.ts';
import {
  ConflictError,
  IncorrectStateError,
  NotFoundError,
  PreconditionFailedError,
  RelatedResourceNotFoundError,
  ValidationError,
} from '../errors.ts';
import type { FindingsRepository } from '../findings/findings.repository.ts';
import { newEtag, newOcid } from '../ids.ts';
import type {
  WorkRequest,
  WorkRequestRepository,
} from '../work-requests/work-requests.repository.ts';
import {
  describeNames,
  type AnyKindDefinition,
  type KindDefinition,
  type RecordTypes,
  type Stores,
  type WriteContext,
} from './resource-kind.ts';
import { isPlainObject, mergeFieldErrors, parseInput } from './parse-input.ts';
import { RESOURCE_KINDS, type BaseRecord, type ResourceKind } from './resource-store.ts';

export type Definitions = { [K in ResourceKind]: AnyKindDefinition };

export interface ServiceDeps {
  db: Db;
  clock: Clock;
  stores: Stores;
  findings: FindingsRepository;
  workRequests: WorkRequestRepository;
  definitions: Definitions;
  /** Called in the write's transaction once the record is stored (certificates: issue jobs). */
  afterWrite?: (event: WriteEvent) => void;
  /** Runs the second half of `lifecycle: 'job'` writes (work-requests/resource-lifecycle.ts). */
  lifecycle?: LifecycleScheduler;
  /** Called in the write's transaction for every accepted write: the audit log (audit/). */
  audit?: (event: AuditedWrite) => void;
}

/** A write as the audit sees it: who made it comes from the request context. */
export interface AuditedWrite {
  kind: ResourceKind;
  operation: WriteOperation;
  record: BaseRecord;
  before?: BaseRecord;
}

export type WriteOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'MOVE';

/** Enqueues, in the write's transaction, the job that completes a write and its work request. */
export interface LifecycleScheduler {
  schedule(job: {
    kind: ResourceKind;
    operation: WriteOperation;
    resourceId: string;
    workRequestId: string;
  }): void;
}

/**
 * `immediate`: the write is complete when it returns (ACTIVE/DELETED, work request SUCCEEDED):
 * the console, the import and the demo seed. `job`: the resource is left CREATING, UPDATING or
 * DELETING with an ACCEPTED work request, and a job completes both: the OCI face (spec §2.5).
 */
export type LifecycleMode = 'immediate' | 'job';

export interface WriteOptions {
  ifMatch?: string;
  lifecycle?: LifecycleMode;
}

/** A stored create, update or delete, as `ServiceDeps.afterWrite` sees it. */
export interface WriteEvent {
  kind: ResourceKind;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  record: BaseRecord;
  before?: BaseRecord;
  ctx: WriteContext;
}

export interface WriteResult<R> {
  record: R;
  workRequest: WorkRequest;
  /** Findings kept with the resource by this write (warnings such as RT001). */
  findings: Finding[];
}

export interface CreateOptions<R> {
  /** Flags to keep with the new resource (import: CERT001, CA001, ...). */
  flags?: Finding[];
  /** Internal fields to set on the new record (import: `caExternal`). */
  overrides?: Partial<R>;
  lifecycle?: LifecycleMode;
}

export interface ResourceService<R extends BaseRecord> {
  readonly definition: KindDefinition<R, unknown, unknown>;
  find(id: string): R | undefined;
  /** The record, DELETED ones included; NotFoundError when there is none. */
  get(id: string): R;
  create(body: unknown, options?: CreateOptions<R>): WriteResult<R>;
  update(id: string, body: unknown, options?: WriteOptions): WriteResult<R>;
  remove(id: string, options?: WriteOptions): WriteResult<R>;
  changeCompartment(id: string, body: unknown, options?: WriteOptions): WriteResult<R>;
  /**
   * Completes a `job` write (the lifecycle job, in its transaction): ACTIVE, DELETED (kept
   * readable, `timeDeleted` set) or FAILED with `details`. A new etag either way.
   */
  settle(id: string, outcome: 'ACTIVE' | 'DELETED' | 'FAILED', details?: string): R;
}

/** States a write is under way in; another write must wait (409 IncorrectState, retried). */
const TRANSITIONAL = new Set(['CREATING', 'UPDATING', 'DELETING']);

export type Services = { [K in ResourceKind]: ResourceService<RecordTypes[K]> };

/** An update body the OCI SDK sends for "nothing to change": none at all, or `{}` (spec §8.4). */
function isEmptyUpdate(body: unknown): boolean {
  return body === undefined || (isPlainObject(body) && Object.keys(body).length === 0);
}

/** Whether an `if-match` value names this etag (`*` names any; quotes are ignored). */
function etagMatches(ifMatch: string, etag: string): boolean {
  return ifMatch
    .split(',')
    .map((v) =>
      v
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .some((v) => v === '*' || v === etag);
}

/**
 * The write path shared by every kind and both faces (OCI and console): parse with the domain
 * schema, check parent, name and if-match, let the kind build or patch the record under its
 * rules, store it, keep its findings and record the work request — all in one transaction.
 *
 * With `lifecycle: 'immediate'` (the default) a write is complete when it returns and its work
 * request SUCCEEDED. With `lifecycle: 'job'` (the OCI face) the record is stored CREATING,
 * UPDATING or DELETING with an ACCEPTED work request, and the lifecycle job
 * (work-requests/resource-lifecycle.ts, docs/decisions/004-oci-lifecycle.md) completes both
 * through `settle`. Writes on a resource in one of those states, and creates under a parent in
 * one, get 409 IncorrectState, which the OCI SDK retries.
 */
export function createResourceService<K extends ResourceKind>(
  kind: K,
  deps: ServiceDeps,
): ResourceService<RecordTypes[K]> {
  type R = RecordTypes[K];
  const def = deps.definitions[kind] as KindDefinition<R, unknown, unknown>;
  const store = deps.stores[kind];
  const parentInfo = def.store.parent;
  const nameOf = (record: BaseRecord): string => nameOfRecord(record, def);

  const context = (): WriteContext => {
    const now = deps.clock.now();
    return { now, nowIso: now.toISOString(), stores: deps.stores };
  };

  const finish = (
    operation: WriteOperation,
    record: R,
    ctx: WriteContext,
    mode: LifecycleMode = 'immediate',
  ): WorkRequest => {
    const done = mode === 'immediate';
    const actionType = !done
      ? 'IN_PROGRESS'
      : operation === 'CREATE'
        ? 'CREATED'
        : operation === 'DELETE'
          ? 'DELETED'
          : 'UPDATED';
    const workRequest: WorkRequest = {
      id: newOcid('meshworkrequest'),
      operationType: `${operation}_${def.oci.operationSuffix}`,
      status: done ? 'SUCCEEDED' : 'ACCEPTED',
      compartmentId: record.compartmentId,
      resources: [
        {
          entityType: kind,
          actionType,
          identifier: record.id,
          entityUri: `/20220615/${def.oci.path}/${record.id}`,
        },
      ],
      percentComplete: done ? 100 : 0,
      timeAccepted: ctx.nowIso,
      ...(done ? { timeStarted: ctx.nowIso, timeFinished: ctx.nowIso } : {}),
    };
    deps.workRequests.insert(workRequest);
    if (!done) {
      if (!deps.lifecycle) throw new Error('lifecycle jobs are not configured');
      deps.lifecycle.schedule({
        kind,
        operation,
        resourceId: record.id,
        workRequestId: workRequest.id,
      });
    }
    return workRequest;
  };

  const get = (id: string): R => {
    const record = store.get(id);
    if (!record) throw new NotFoundError(`${def.label} ${id} not found`);
    return record;
  };

  /**
   * The record for a write: it must exist, be live and settled (FAILED ones can only be
   * deleted), and match `if-match` when given.
   */
  const getWritable = (id: string, ifMatch: string | undefined, deleting = false): R => {
    const record = get(id);
    const state = record.lifecycleState;
    if (state === 'DELETED') {
      throw new ConflictError(`${def.label} ${nameOf(record)} is DELETED`);
    }
    if (TRANSITIONAL.has(state)) {
      throw new IncorrectStateError(
        `${def.label} ${nameOf(record)} is ${state}; retry once it is ACTIVE`,
        undefined,
        1,
      );
    }
    if (state === 'FAILED' && !deleting) {
      throw new ConflictError(`${def.label} ${nameOf(record)} is FAILED; delete it`);
    }
    if (ifMatch !== undefined && !etagMatches(ifMatch, record.etag)) {
      throw new PreconditionFailedError();
    }
    return record;
  };

  const keepFindings = (record: R, findings: Finding[] | undefined): Finding[] => {
    if (findings === undefined) return [];
    deps.findings.replace(record.id, def.findingCodes ?? [], findings);
    return findings;
  };

  /** What blocks a delete, named; `settling` when that is only children already DELETING. */
  const describeDependents = (
    record: R,
    ctx: WriteContext,
  ): { dependents: string[]; settling: boolean } => {
    const out: string[] = [];
    let settling = true;
    for (const childKind of RESOURCE_KINDS) {
      const childDef = deps.definitions[childKind];
      if (childDef.store.parent?.kind !== kind) continue;
      const children = deps.stores[childKind].listLive({ parentIds: [record.id] });
      if (children.some((c) => c.lifecycleState !== 'DELETING')) settling = false;
      const names = children.map((c) => nameOfRecord(c, childDef));
      out.push(...describeNames(childDef.label, childDef.plural, names));
    }
    const references = def.referencedBy?.(record, ctx) ?? [];
    if (references.length > 0) settling = false;
    return { dependents: [...out, ...references], settling };
  };

  return {
    definition: def,
    find: (id) => store.get(id),
    get,

    create(body, options = {}) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const parsed = parseInput(def.createSchema, body);
        if (!parsed.ok) {
          const fieldErrors = mergeFieldErrors(
            parsed.fieldErrors,
            def.preflightFieldErrors?.(body, ctx),
          );
          throw new ValidationError(fieldErrors);
        }
        const input = parsed.data as Record<string, unknown>;
        let parent: BaseRecord | undefined;
        if (parentInfo) {
          const parentId = input[parentInfo.field] as string;
          const parentDef = deps.definitions[parentInfo.kind];
          parent = deps.stores[parentInfo.kind].get(parentId);
          if (!parent || parent.lifecycleState === 'DELETED') {
            throw new RelatedResourceNotFoundError(
              `${parentDef.label} ${parentId} not found`,
              parentInfo.field,
            );
          }
          const parentState = parent.lifecycleState;
          if (parentState !== 'ACTIVE') {
            const message = `${parentDef.label} ${nameOfRecord(parent, parentDef)} is ${parentState}`;
            // CREATING/UPDATING end in ACTIVE, so a retry can succeed; DELETING/FAILED cannot.
            if (parentState === 'CREATING' || parentState === 'UPDATING') {
              throw new IncorrectStateError(`${message}; retry once it is ACTIVE`, undefined, 1);
            }
            throw new ConflictError(message, { fieldErrors: { [parentInfo.field]: [message] } });
          }
          const name = String(input[def.store.nameField]);
          if (store.findLiveByName(parentId, name)) {
            const message = `a ${def.label} named ${name} already exists in ${parentDef.label} ${nameOfRecord(parent, parentDef)}`;
            throw new ConflictError(message, {
              fieldErrors: { [def.store.nameField]: [message] },
            });
          }
        }
        const built = def.build(
          parsed.data,
          {
            id: newOcid(def.ocidType),
            compartmentId: input.compartmentId as string,
            lifecycleState: 'ACTIVE',
            timeCreated: ctx.nowIso,
            timeUpdated: ctx.nowIso,
            etag: newEtag(),
          },
          ctx,
          parent,
        );
        const mode = options.lifecycle ?? 'immediate';
        const record = {
          ...built.record,
          ...options.overrides,
          ...(mode === 'job' ? { lifecycleState: 'CREATING' } : {}),
        } as R;
        try {
          store.insert(record);
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError(`a ${def.label} named ${nameOf(record)} already exists`);
          }
          throw error;
        }
        const findings = keepFindings(record, built.findings);
        if (options.flags && options.flags.length > 0) deps.findings.add(record.id, options.flags);
        deps.afterWrite?.({ kind, operation: 'CREATE', record, ctx });
        deps.audit?.({ kind, operation: 'CREATE', record });
        return { record, workRequest: finish('CREATE', record, ctx, mode), findings };
      });
    },

    update(id, body, options = {}) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const before = getWritable(id, options.ifMatch);
        const mode = options.lifecycle ?? 'immediate';
        // Nothing to change: done at once, whatever the mode; the record stays as it is.
        if (isEmptyUpdate(body)) {
          deps.audit?.({ kind, operation: 'UPDATE', record: before, before });
          return { record: before, workRequest: finish('UPDATE', before, ctx), findings: [] };
        }
        const parsed = parseInput(def.updateSchema, body);
        if (!parsed.ok) {
          const fieldErrors = mergeFieldErrors(
            parsed.fieldErrors,
            def.preflightFieldErrors?.(body, ctx, before),
          );
          throw new ValidationError(fieldErrors);
        }
        const patched = def.patch(before, parsed.data, ctx);
        const record: R = {
          ...patched.record,
          etag: newEtag(),
          timeUpdated: ctx.nowIso,
          ...(mode === 'job' ? { lifecycleState: 'UPDATING' } : {}),
        };
        store.replace(record);
        def.afterUpdate?.(before, record, ctx);
        deps.afterWrite?.({ kind, operation: 'UPDATE', record, before, ctx });
        deps.audit?.({ kind, operation: 'UPDATE', record, before });
        const findings = keepFindings(record, patched.findings);
        return { record, workRequest: finish('UPDATE', record, ctx, mode), findings };
      });
    },

    remove(id, options = {}) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const before = getWritable(id, options.ifMatch, true);
        const mode = options.lifecycle ?? 'immediate';
        const { dependents, settling } = describeDependents(before, ctx);
        if (dependents.length > 0) {
          const message = `cannot delete ${def.label} ${nameOf(before)}: in use by ${dependents.join('; ')}`;
          // Children that are only DELETING will be gone soon: a retry can succeed.
          if (settling) throw new IncorrectStateError(message, { dependents }, 1);
          throw new ConflictError(message, { dependents });
        }
        const record: R =
          mode === 'job'
            ? { ...before, lifecycleState: 'DELETING', timeUpdated: ctx.nowIso, etag: newEtag() }
            : {
                ...before,
                lifecycleState: 'DELETED',
                timeDeleted: ctx.nowIso,
                timeUpdated: ctx.nowIso,
                etag: newEtag(),
              };
        store.replace(record);
        deps.afterWrite?.({ kind, operation: 'DELETE', record, before, ctx });
        deps.audit?.({ kind, operation: 'DELETE', record, before });
        return { record, workRequest: finish('DELETE', record, ctx, mode), findings: [] };
      });
    },

    changeCompartment(id, body, options = {}) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const before = getWritable(id, options.ifMatch);
        const parsed = parseInput(ChangeCompartmentSchema, body);
        if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
        const { compartmentId } = parsed.data;
        const mode = options.lifecycle ?? 'immediate';
        const record: R = {
          ...before,
          compartmentId,
          etag: newEtag(),
          timeUpdated: ctx.nowIso,
          ...(mode === 'job' ? { lifecycleState: 'UPDATING' } : {}),
        };
        store.replace(record);
        deps.audit?.({ kind, operation: 'MOVE', record, before });
        return { record, workRequest: finish('MOVE', record, ctx, mode), findings: [] };
      });
    },

    settle(id, outcome, details) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const before = get(id);
        const record: R = {
          ...before,
          lifecycleState: outcome,
          etag: newEtag(),
          timeUpdated: ctx.nowIso,
          ...(outcome === 'DELETED' ? { timeDeleted: ctx.nowIso } : {}),
        };
        if (details !== undefined) record.lifecycleDetails = details;
        else delete record.lifecycleDetails;
        store.replace(record);
        // A create called off before it finished is a delete for everything that followed it.
        if (outcome === 'DELETED' && before.lifecycleState === 'CREATING') {
          deps.afterWrite?.({ kind, operation: 'DELETE', record, before, ctx });
        }
        return record;
      });
    },
  };
}

/** A record's name (`displayName` for a mesh), for messages. */
function nameOfRecord(record: BaseRecord, def: AnyKindDefinition): string {
  return String((record as unknown as Record<string, unknown>)[def.store.nameField]);
}

export function createServices(deps: ServiceDeps): Services {
  return {
    Mesh: createResourceService('Mesh', deps),
    VirtualService: createResourceService('VirtualService', deps),
    VirtualDeployment: createResourceService('VirtualDeployment', deps),
    VirtualServiceRouteTable: createResourceService('VirtualServiceRouteTable', deps),
    IngressGateway: createResourceService('IngressGateway', deps),
    IngressGatewayRouteTable: createResourceService('IngressGatewayRouteTable', deps),
    AccessPolicy: createResourceService('AccessPolicy', deps),
  };
}
