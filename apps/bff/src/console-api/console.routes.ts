import {
  CONSOLE_RESOURCE_PATHS,
  deriveTopology,
  IMMUTABLE_FIELDS,
  immutableFieldMessage,
  type FieldErrors,
  type MeshCertificateStatus,
  type ResourcePage,
  type ResourceView,
} from '@meshdeck/domain';
import { Router, type Request } from 'express';
import { ifMatchOf, queryValue } from '../http/parse.ts';
import {
  InvalidParameterError,
  MissingParameterError,
  NotFoundError,
  ValidationError,
} from '../errors.ts';
import type { FindingsRepository } from '../findings/findings.repository.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import { createPresentContext, definitions } from '../resources/definitions.ts';
import { isPlainObject, mergeFieldErrors, parseInput } from '../resources/parse-input.ts';
import type { Stores } from '../resources/resource-kind.ts';
import type { Services } from '../resources/resource-service.ts';
import { RESOURCE_KINDS, type BaseRecord, type ResourceKind } from '../resources/resource-store.ts';
import {
  dependantsOf,
  loadMeshRecords,
  meshDetail,
  meshEntries,
  meshSnapshot,
  meshSummary,
  relatedResources,
  virtualServiceView,
  type MeshRecords,
} from './views.ts';

export interface ConsoleDeps {
  stores: Stores;
  services: Services;
  findings: FindingsRepository;
  /** Throws when the store cannot answer (readiness). */
  ping(): void;
  /** Certificate status of a mesh (backend.ts); summaries go without it when absent. */
  meshCertificateStatus?: (records: MeshRecords) => MeshCertificateStatus;
}

/** List filters and the kinds they apply to (a filter on another kind is a 400). */
const FILTERS = {
  meshId: [
    'VirtualService',
    'VirtualDeployment',
    'VirtualServiceRouteTable',
    'IngressGateway',
    'IngressGatewayRouteTable',
    'AccessPolicy',
  ],
  virtualServiceId: ['VirtualDeployment', 'VirtualServiceRouteTable'],
  ingressGatewayId: ['IngressGatewayRouteTable'],
} as const satisfies Record<string, readonly ResourceKind[]>;

const SORTS = ['name', 'timeCreated', 'lifecycleState'] as const;
type SortField = (typeof SORTS)[number];
// Without `limit` a list answers everything up to the cap, as `GET /api/meshes` always did.
export const CONSOLE_DEFAULT_LIMIT = 1000;
export const CONSOLE_MAX_LIMIT = 1000;

function readWholeNumber(req: Request, name: string, fallback: number, max: number): number {
  const text = queryValue(req.query, name);
  if (text === undefined) return fallback;
  const value = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) {
    throw new InvalidParameterError(name, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

function readChoice<T extends string>(
  req: Request,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = queryValue(req.query, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new InvalidParameterError(name, `must be one of ${choices.join(', ')}`);
  }
  return text as T;
}

/** Field errors for immutable fields in an update body (each named), else undefined. */
function immutableFieldErrors(kind: ResourceKind, body: unknown): FieldErrors | undefined {
  if (!isPlainObject(body)) return undefined;
  const errors: FieldErrors = {};
  for (const field of IMMUTABLE_FIELDS[kind]) {
    if (field in body) errors[field] = [immutableFieldMessage(field)];
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * The console's `/api` face (docs/console-api.md): for each of the seven kinds a list with
 * filter, sort and paging, create, a detail view with findings and related resources, update
 * (if-match), delete and what a delete would affect. Writes go through the same services as the
 * OCI face, so both enforce the same rules in one code path; console writes complete at once.
 */
export function consoleRouter(deps: ConsoleDeps): Router {
  const router = Router();
  const { stores, services } = deps;

  const liveMesh = (id: string): MeshRecord => {
    const mesh = stores.Mesh.get(id);
    if (!mesh || mesh.lifecycleState === 'DELETED') throw new NotFoundError(`mesh ${id} not found`);
    return mesh;
  };

  /** The mesh a record belongs to (deployments and route tables through their parent). */
  const meshIdOf = (kind: ResourceKind, record: BaseRecord): string => {
    const r = record as unknown as Record<string, string>;
    switch (kind) {
      case 'Mesh':
        return record.id;
      case 'VirtualDeployment':
      case 'VirtualServiceRouteTable':
        return stores.VirtualService.get(r.virtualServiceId as string)?.meshId ?? '';
      case 'IngressGatewayRouteTable':
        return stores.IngressGateway.get(r.ingressGatewayId as string)?.meshId ?? '';
      default:
        return r.meshId as string;
    }
  };

  const recordsOfMesh = (meshId: string): MeshRecords | undefined => {
    const mesh = stores.Mesh.get(meshId);
    return mesh ? loadMeshRecords(stores, mesh) : undefined;
  };

  const summaryOf = (mesh: MeshRecord) => {
    const records = loadMeshRecords(stores, mesh);
    return meshSummary(records, deps.meshCertificateStatus?.(records));
  };

  /** What `GET /api/<path>/:id` answers: MeshDetail for a mesh, ResourceView for the rest. */
  const detailOf = (kind: ResourceKind, record: BaseRecord): unknown => {
    const ctx = createPresentContext(stores);
    if (kind === 'Mesh') {
      const records = loadMeshRecords(stores, record as MeshRecord);
      return meshDetail(
        records,
        (ids) => deps.findings.listFor(ids),
        deps.meshCertificateStatus?.(records),
      );
    }
    const meshId = meshIdOf(kind, record);
    const records = recordsOfMesh(meshId);
    const related = records ? relatedResources(meshEntries(records), record.id) : [];
    const findings = deps.findings.listFor([record.id]).map(({ resourceId: _, ...f }) => f);
    const base =
      kind === 'VirtualService'
        ? {
            ...virtualServiceView(record as never, ctx),
            meshMinimum: ctx.meshMinimum(meshId),
          }
        : definitions[kind].present(record as never, ctx);
    const view: ResourceView<Record<string, unknown>> = { ...base, meshId, findings, related };
    return view;
  };

  // Liveness: the process serves HTTP. Readiness (for load balancers): the store answers too.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', (_req, res) => {
    deps.ping();
    res.json({ status: 'ok', store: 'ok' });
  });

  router.get('/meshes/:meshId/topology', (req, res) => {
    const records = loadMeshRecords(stores, liveMesh(req.params.meshId));
    res.json(deriveTopology(meshSnapshot(records)));
  });

  for (const kind of RESOURCE_KINDS) {
    const path = `/${CONSOLE_RESOURCE_PATHS[kind]}`;
    const service = services[kind];
    const def = service.definition;
    const nameField = def.store.nameField;
    const parentField = def.store.parent?.field;

    router.get(path, (req, res) => {
      const filters: Partial<Record<keyof typeof FILTERS, string>> = {};
      for (const [name, kinds] of Object.entries(FILTERS) as [
        keyof typeof FILTERS,
        readonly ResourceKind[],
      ][]) {
        const value = queryValue(req.query, name);
        if (value === undefined) continue;
        if (!kinds.includes(kind)) {
          throw new InvalidParameterError(name, `does not apply to ${def.plural}`);
        }
        filters[name] = value;
      }
      const q = queryValue(req.query, 'q')?.toLowerCase();
      const sort = readChoice<SortField>(req, 'sort', SORTS, 'name');
      const order = readChoice(req, 'order', ['asc', 'desc'] as const, 'asc');
      const limit = readWholeNumber(req, 'limit', CONSOLE_DEFAULT_LIMIT, CONSOLE_MAX_LIMIT);
      const page = readWholeNumber(req, 'page', 1, 1_000_000);

      const field = (r: BaseRecord, name: string) =>
        String((r as unknown as Record<string, unknown>)[name] ?? '');
      let records: BaseRecord[] = stores[kind].listLive();
      if (filters.meshId !== undefined) {
        const meshId = filters.meshId;
        records = records.filter((r) => meshIdOf(kind, r) === meshId);
      }
      for (const name of ['virtualServiceId', 'ingressGatewayId'] as const) {
        const value = filters[name];
        if (value !== undefined && parentField === name) {
          records = records.filter((r) => field(r, name) === value);
        }
      }
      if (q) {
        records = records.filter((r) =>
          [field(r, nameField), field(r, 'description'), r.id].some((text) =>
            text.toLowerCase().includes(q),
          ),
        );
      }
      const key = sort === 'name' ? nameField : sort;
      const direction = order === 'asc' ? 1 : -1;
      records.sort(
        (a, b) =>
          direction * (field(a, key).localeCompare(field(b, key)) || a.id.localeCompare(b.id)),
      );
      const slice = records.slice((page - 1) * limit, page * limit);
      const ctx = createPresentContext(stores);
      const items = slice.map((r) =>
        kind === 'Mesh'
          ? summaryOf(r as MeshRecord)
          : kind === 'VirtualService'
            ? virtualServiceView(r as never, ctx)
            : def.present(r as never, ctx),
      );
      const body: ResourcePage<unknown> = { items, total: records.length, page, limit };
      res.json(body);
    });

    router.post(path, (req, res) => {
      const { record } = service.create(req.body);
      res.setHeader('etag', record.etag);
      res.status(201).json(detailOf(kind, record));
    });

    router.get(`${path}/:id`, (req, res) => {
      const record =
        kind === 'Mesh' ? liveMesh(req.params.id as string) : service.get(req.params.id as string);
      res.setHeader('etag', record.etag);
      res.json(detailOf(kind, record));
    });

    router.get(`${path}/:id/dependants`, (req, res) => {
      const record = service.get(req.params.id as string);
      const records = recordsOfMesh(meshIdOf(kind, record));
      res.json(records ? dependantsOf(meshEntries(records), record.id) : { items: [] });
    });

    router.put(`${path}/:id`, (req, res, next) => {
      const immutable = immutableFieldErrors(kind, req.body);
      if (immutable) {
        const rest = { ...(req.body as Record<string, unknown>) };
        for (const f of Object.keys(immutable)) delete rest[f];
        const parsed = parseInput(def.updateSchema, rest);
        throw new ValidationError(
          mergeFieldErrors(immutable, parsed.ok ? undefined : parsed.fieldErrors),
        );
      }
      // A mesh's PUT answers its summary (migrations.routes.ts, the mTLS tab); meshes and
      // virtual services keep accepting writes without if-match, as they did before.
      if (kind === 'Mesh') return next();
      const ifMatch = ifMatchOf(req);
      if (kind !== 'VirtualService' && ifMatch.ifMatch === undefined) {
        throw new MissingParameterError('if-match');
      }
      const { record } = service.update(req.params.id as string, req.body, ifMatch);
      res.setHeader('etag', record.etag);
      res.json(
        kind === 'VirtualService'
          ? virtualServiceView(record as never, createPresentContext(stores))
          : detailOf(kind, record),
      );
    });

    router.delete(`${path}/:id`, (req, res) => {
      service.remove(req.params.id as string, ifMatchOf(req));
      res.status(204).end();
    });
  }

  return router;
}
