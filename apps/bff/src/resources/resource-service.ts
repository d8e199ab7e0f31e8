import { ChangeCompartmentSchema, type Finding } from '@meshdeck/domain';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  RelatedResourceNotFoundError,
  ValidationError,
} from '../errors.ts';
import type { FindingsRepository } from '../findings/findings.repository.ts';
import { newEtag, newOcid } from '../ids.ts';
import type {
  OperationStatus,
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
}

export interface ResourceService<R extends BaseRecord> {
  readonly definition: KindDefinition<R, unknown, unknown>;
  find(id: string): R | undefined;
  /** The record, DELETED ones included; NotFoundError when there is none. */
  get(id: string): R;
  create(body: unknown, options?: CreateOptions<R>): WriteResult<R>;
  update(id: string, body: unknown, options?: { ifMatch?: string }): WriteResult<R>;
  remove(id: string, options?: { ifMatch?: string }): WriteResult<R>;
  changeCompartment(id: string, body: unknown, options?: { ifMatch?: string }): WriteResult<R>;
}

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

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * The write path shared by every kind and both faces (OCI and console): parse with the domain
 * schema, check parent, name and if-match, let the kind build or patch the record under its
 * rules, store it, keep its findings and record the work request — all in one transaction.
 *
 * A create goes straight to ACTIVE and its work request is SUCCEEDED at once. The async
 * CREATING → ACTIVE job (certificate issue first) will replace `finish()` below: it will store
 * the record as CREATING and the work request as ACCEPTED, and the job will complete both.
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
    operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'MOVE',
    record: R,
    ctx: WriteContext,
    status: OperationStatus = 'SUCCEEDED',
  ): WorkRequest => {
    const actionType =
      operation === 'CREATE' ? 'CREATED' : operation === 'DELETE' ? 'DELETED' : 'UPDATED';
    const workRequest: WorkRequest = {
      id: newOcid('meshworkrequest'),
      operationType: `${operation}_${def.oci.operationSuffix}`,
      status,
      compartmentId: record.compartmentId,
      resources: [
        {
          entityType: kind,
          actionType,
          identifier: record.id,
          entityUri: `/20220615/${def.oci.path}/${record.id}`,
        },
      ],
      percentComplete: 100,
      timeAccepted: ctx.nowIso,
      timeStarted: ctx.nowIso,
      timeFinished: ctx.nowIso,
    };
    deps.workRequests.insert(workRequest);
    return workRequest;
  };

  const get = (id: string): R => {
    const record = store.get(id);
    if (!record) throw new NotFoundError(`${def.label} ${id} not found`);
    return record;
  };

  /** The record for a write: it must exist, be live, and match `if-match` when given. */
  const getWritable = (id: string, ifMatch: string | undefined): R => {
    const record = get(id);
    if (record.lifecycleState === 'DELETED') {
      throw new ConflictError(`${def.label} ${nameOf(record)} is DELETED`);
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

  const describeDependents = (record: R, ctx: WriteContext): string[] => {
    const out: string[] = [];
    for (const childKind of RESOURCE_KINDS) {
      const childDef = deps.definitions[childKind];
      if (childDef.store.parent?.kind !== kind) continue;
      const children = deps.stores[childKind].listLive({ parentIds: [record.id] });
      const names = children.map((c) => nameOfRecord(c, childDef));
      out.push(...describeNames(childDef.label, childDef.plural, names));
    }
    return [...out, ...(def.referencedBy?.(record, ctx) ?? [])];
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
        const record = { ...built.record, ...options.overrides } as R;
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
        return { record, workRequest: finish('CREATE', record, ctx), findings };
      });
    },

    update(id, body, options = {}) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const before = getWritable(id, options.ifMatch);
        if (isEmptyUpdate(body)) {
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
        const record = { ...patched.record, etag: newEtag(), timeUpdated: ctx.nowIso };
        store.replace(record);
        def.afterUpdate?.(before, record, ctx);
        const findings = keepFindings(record, patched.findings);
        return { record, workRequest: finish('UPDATE', record, ctx), findings };
      });
    },

    remove(id, options = {}) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const before = getWritable(id, options.ifMatch);
        const dependents = describeDependents(before, ctx);
        if (dependents.length > 0) {
          throw new ConflictError(
            `cannot delete ${def.label} ${nameOf(before)}: in use by ${dependents.join('; ')}`,
            { dependents },
          );
        }
        const record: R = {
          ...before,
          lifecycleState: 'DELETED',
          timeDeleted: ctx.nowIso,
          timeUpdated: ctx.nowIso,
          etag: newEtag(),
        };
        store.replace(record);
        return { record, workRequest: finish('DELETE', record, ctx), findings: [] };
      });
    },

    changeCompartment(id, body, options = {}) {
      return inTransaction(deps.db, () => {
        const ctx = context();
        const before = getWritable(id, options.ifMatch);
        const parsed = parseInput(ChangeCompartmentSchema, body);
        if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
        const { compartmentId } = parsed.data;
        const record: R = { ...before, compartmentId, etag: newEtag(), timeUpdated: ctx.nowIso };
        store.replace(record);
        return { record, workRequest: finish('MOVE', record, ctx), findings: [] };
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
