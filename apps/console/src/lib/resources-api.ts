import {
  CONSOLE_RESOURCE_PATHS,
  type ConsoleResourceKind,
  type DependantsView,
  type ResourcePage,
} from '@meshdeck/domain';
import { request, requestWithResponse } from './api-client.ts';

/** `/api/<kind>` query: filter by parent, text, sort and page (docs/console-api.md). */
export interface ResourceListQuery {
  meshId?: string | undefined;
  virtualServiceId?: string | undefined;
  ingressGatewayId?: string | undefined;
  q?: string | undefined;
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  page?: number | undefined;
  limit?: number | undefined;
}

const base = (kind: ConsoleResourceKind) => `/api/${CONSOLE_RESOURCE_PATHS[kind]}`;
const item = (kind: ConsoleResourceKind, id: string) => `${base(kind)}/${encodeURIComponent(id)}`;

export function listResources<T>(
  kind: ConsoleResourceKind,
  query: ResourceListQuery,
  signal?: AbortSignal,
): Promise<ResourcePage<T>> {
  return request<ResourcePage<T>>(base(kind), { query: { ...query }, signal });
}

/** A resource's view and its `etag` (sent back as `if-match` by an edit or a delete). */
export async function getResource<T>(
  kind: ConsoleResourceKind,
  id: string,
  signal?: AbortSignal,
): Promise<{ view: T; etag: string | undefined }> {
  const res = await requestWithResponse<T>(item(kind, id), { signal });
  return { view: res.data, etag: res.headers.get('etag') ?? undefined };
}

export function createResource<T>(kind: ConsoleResourceKind, body: unknown): Promise<T> {
  return request<T>(base(kind), { method: 'POST', json: body });
}

export function updateResource<T>(
  kind: ConsoleResourceKind,
  id: string,
  body: unknown,
  etag: string | undefined,
): Promise<T> {
  return request<T>(item(kind, id), { method: 'PUT', json: body, ifMatch: etag });
}

export async function deleteResource(
  kind: ConsoleResourceKind,
  id: string,
  etag: string | undefined,
): Promise<void> {
  await request<void>(item(kind, id), { method: 'DELETE', ifMatch: etag });
}

export function getDependants(
  kind: ConsoleResourceKind,
  id: string,
  signal?: AbortSignal,
): Promise<DependantsView> {
  return request<DependantsView>(`${item(kind, id)}/dependants`, { signal });
}
