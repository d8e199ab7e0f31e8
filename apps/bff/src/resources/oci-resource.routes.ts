import { Router } from 'express';
import {
  ifMatchOf,
  queryValue,
  readLifecycleState,
  readLimit,
  readSort,
  requiredQueryValue,
} from '../http/parse.ts';
import {
  idempotentWrite,
  sendStored,
  type IdempotencyDeps,
} from '../idempotency/idempotent-write.ts';
import type { StoredResponse } from '../idempotency/retry-tokens.repository.ts';
import { createPresentContext, toSummary } from './definitions.ts';
import type { Stores } from './resource-kind.ts';
import type { Services, WriteResult } from './resource-service.ts';
import type { BaseRecord, ListQuery, ResourceKind } from './resource-store.ts';

export interface OciResourceDeps extends IdempotencyDeps {
  stores: Stores;
  services: Services;
  /** Asks the job runner to look for due work now (a write just enqueued its lifecycle job). */
  wake?: () => void;
}

/** Writes on this face complete through the lifecycle job (CREATING → ACTIVE, spec §2.5). */
const JOB = { lifecycle: 'job' } as const;

/** update/delete/changeCompartment: 202, no body, the work request to follow. */
function accepted(result: WriteResult<BaseRecord>): StoredResponse {
  return { status: 202, headers: { 'opc-work-request-id': result.workRequest.id } };
}

/**
 * The six OCI operations of one kind (spec §2): list, create, get, update, delete and
 * changeCompartment, answered as the `oci-servicemesh` SDK expects.
 */
export function ociResourceRouter(kind: ResourceKind, deps: OciResourceDeps): Router {
  const service = deps.services[kind];
  const store = deps.stores[kind];
  const def = service.definition;
  const collection = `/${def.oci.path}`;
  const nameParam = def.store.nameField;
  const parentParam = def.store.parent?.field;
  const router = Router();

  const present = (record: BaseRecord) =>
    def.present(record as never, createPresentContext(deps.stores));

  router.get(collection, (req, res) => {
    const query: ListQuery = {
      compartmentId: requiredQueryValue(req.query, 'compartmentId'),
      ...readSort(req.query, nameParam),
      limit: readLimit(req.query),
    };
    const name = queryValue(req.query, nameParam);
    if (name !== undefined) query.name = name;
    const id = queryValue(req.query, 'id');
    if (id !== undefined) query.id = id;
    const lifecycleState = readLifecycleState(req.query);
    if (lifecycleState !== undefined) query.lifecycleState = lifecycleState;
    const parentId = parentParam ? queryValue(req.query, parentParam) : undefined;
    if (parentId !== undefined) query.parentId = parentId;
    const page = queryValue(req.query, 'page');
    if (page !== undefined) query.page = page;

    const result = store.list(query);
    const ctx = createPresentContext(deps.stores);
    if (result.nextPage) res.setHeader('opc-next-page', result.nextPage);
    res.json({
      items: result.items.map((r) =>
        toSummary(def.present(r as never, ctx), def.oci.summaryFields),
      ),
    });
  });

  router.post(collection, (req, res) => {
    const response = idempotentWrite(deps, req, res, () => {
      const result = service.create(req.body, JOB);
      return {
        status: 200,
        headers: {
          etag: result.record.etag,
          'opc-work-request-id': result.workRequest.id,
          location: `/20220615${collection}/${result.record.id}`,
        },
        body: JSON.stringify(present(result.record)),
      };
    });
    deps.wake?.();
    sendStored(res, response);
  });

  router.get(`${collection}/:id`, (req, res) => {
    const record = service.get(req.params.id as string);
    res.setHeader('etag', record.etag);
    res.json(present(record));
  });

  router.put(`${collection}/:id`, (req, res) => {
    const id = req.params.id as string;
    sendStored(
      res,
      idempotentWrite(deps, req, res, () =>
        accepted(service.update(id, req.body, { ...ifMatchOf(req), ...JOB })),
      ),
    );
    deps.wake?.();
  });

  router.delete(`${collection}/:id`, (req, res) => {
    sendStored(
      res,
      accepted(service.remove(req.params.id as string, { ...ifMatchOf(req), ...JOB })),
    );
    deps.wake?.();
  });

  router.post(`${collection}/:id/actions/changeCompartment`, (req, res) => {
    const id = req.params.id as string;
    sendStored(
      res,
      idempotentWrite(deps, req, res, () =>
        accepted(service.changeCompartment(id, req.body, { ...ifMatchOf(req), ...JOB })),
      ),
    );
    deps.wake?.();
  });

  return router;
}
