import { CONSOLE_RESOURCE_PATHS, type ConsoleResourceKind } from '@meshdeck/domain';

/**
 * The console URL of a resource's detail page: `/meshes/:id` for a mesh, else the console API's
 * path segment (`/virtual-deployments/:id`), so a link can be built from a `RelatedResource`.
 */
export function resourcePath(kind: ConsoleResourceKind, id: string): string {
  return `/${CONSOLE_RESOURCE_PATHS[kind]}/${encodeURIComponent(id)}`;
}
