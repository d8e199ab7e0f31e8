import type { ResourcePage } from '@meshdeck/domain';
import { useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  LIST_PAGE_SIZE,
  ResourceList,
  useListParams,
  type ListColumn,
  type ListParams,
} from './resource-list.tsx';
import { WriteOnly } from './write-only.tsx';

export interface MeshResourceTabProps<T, K extends QueryKey> {
  /** The list query for one page: filter, sort, page and `limit` come from the URL. */
  listQuery: (
    params: ListParams & { limit: number },
  ) => UseQueryOptions<ResourcePage<T>, Error, ResourcePage<T>, K>;
  /** The "New …" button, shown to writers: right-aligned in a toolbar, or as a paragraph. */
  newLink: { to: string; label: string; placement: 'toolbar' | 'paragraph' };
  caption: string;
  emptyTitle: string;
  columns: ListColumn<T>[];
  rowKey: (row: T) => string;
  /** A heading above the button, when the tab shows more than this list. */
  heading?: string;
  /** Shown after the list (another section of the same tab). */
  children?: ReactNode;
}

/**
 * One list tab of the mesh page: the writer's "New …" button and a `ResourceList` whose
 * filter, sort and page live in the URL (`?q=&sort=&order=&page=`).
 */
export function MeshResourceTab<T, K extends QueryKey = QueryKey>({
  listQuery,
  newLink,
  caption,
  emptyTitle,
  columns,
  rowKey,
  heading,
  children,
}: MeshResourceTabProps<T, K>) {
  const [params, setParams] = useListParams();
  const list = useQuery(listQuery({ ...params, limit: LIST_PAGE_SIZE }));
  const link = (
    <Link className="button button--primary" to={newLink.to}>
      {newLink.label}
    </Link>
  );
  return (
    <section className="tab-panel">
      {heading !== undefined ? <h2>{heading}</h2> : null}
      <WriteOnly>
        {newLink.placement === 'toolbar' ? <div className="toolbar">{link}</div> : <p>{link}</p>}
      </WriteOnly>
      <ResourceList<T>
        caption={caption}
        params={params}
        setParams={setParams}
        rows={list.data?.items}
        total={list.data?.total}
        rowKey={rowKey}
        isPending={list.isPending}
        error={list.error}
        onRetry={() => void list.refetch()}
        emptyTitle={emptyTitle}
        columns={columns}
      />
      {children}
    </section>
  );
}
