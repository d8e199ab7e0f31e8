import { useId, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from './empty-state.tsx';
import { ErrorState } from './error-state.tsx';
import { LoadingState } from './loading-state.tsx';

export type SortOrder = 'asc' | 'desc';

/** A list's filter, sort and page, read from and written to the URL (every view a deep link). */
export interface ListParams {
  q: string;
  sort: string;
  order: SortOrder;
  page: number;
}

export const LIST_PAGE_SIZE = 20;

function wholeAtLeastOne(text: string | null): number {
  const n = text !== null && /^\d{1,6}$/.test(text) ? Number(text) : 1;
  return n >= 1 ? n : 1;
}

/**
 * `?q=&sort=&order=&page=` of the current URL. Setting the filter or the sort goes back to
 * page 1; typing in the filter replaces the history entry instead of adding one per key.
 */
export function useListParams(
  defaultSort = 'name',
): [ListParams, (patch: Partial<ListParams>) => void] {
  const [search, setSearch] = useSearchParams();
  const params: ListParams = {
    q: search.get('q') ?? '',
    sort: search.get('sort') ?? defaultSort,
    order: search.get('order') === 'desc' ? 'desc' : 'asc',
    page: wholeAtLeastOne(search.get('page')),
  };
  const update = (patch: Partial<ListParams>) => {
    const next = { ...params, ...patch };
    if (patch.q !== undefined || patch.sort !== undefined || patch.order !== undefined) {
      if (patch.page === undefined) next.page = 1;
    }
    setSearch(
      (prev) => {
        const out = new URLSearchParams(prev);
        const set = (key: string, value: string, fallback: string) => {
          if (value === fallback) out.delete(key);
          else out.set(key, value);
        };
        set('q', next.q, '');
        set('sort', next.sort, defaultSort);
        set('order', next.order, 'asc');
        set('page', String(next.page), '1');
        return out;
      },
      { replace: patch.q !== undefined },
    );
  };
  return [params, update];
}

export interface ListColumn<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The `sort` value this column orders by; sortable columns get a header button. */
  sortKey?: string;
  className?: string;
}

export interface ResourceListProps<T> {
  caption: string;
  columns: ListColumn<T>[];
  rows: T[] | undefined;
  total: number | undefined;
  rowKey: (row: T) => string;
  params: ListParams;
  setParams: (patch: Partial<ListParams>) => void;
  pageSize?: number;
  isPending: boolean;
  error: unknown;
  onRetry?: () => void;
  emptyTitle: string;
  empty?: ReactNode;
  filterLabel?: string;
}

/**
 * A list page's table with a filter box, sortable columns and pages, all in the URL; loading,
 * empty (with or without a filter) and error states. The server does the filtering
 * (`GET /api/<kind>?q=&sort=&order=&page=&limit=`).
 */
export function ResourceList<T>({
  caption,
  columns,
  rows,
  total,
  rowKey,
  params,
  setParams,
  pageSize = LIST_PAGE_SIZE,
  isPending,
  error,
  onRetry,
  emptyTitle,
  empty,
  filterLabel = 'Filter by name',
}: ResourceListProps<T>) {
  const filterId = useId();
  const pages = Math.max(1, Math.ceil((total ?? 0) / pageSize));
  return (
    <section className="resource-list" aria-label={caption}>
      <div className="toolbar">
        <label htmlFor={filterId} className="field__label">
          {filterLabel}
        </label>
        <input
          id={filterId}
          className="input"
          type="search"
          value={params.q}
          onChange={(e) => setParams({ q: e.target.value })}
        />
      </div>
      {error ? (
        <ErrorState
          title={`Could not load ${caption.toLowerCase()}`}
          error={error}
          {...(onRetry ? { onRetry } : {})}
        />
      ) : isPending || rows === undefined ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState title={params.q ? `Nothing matches “${params.q}”` : emptyTitle}>
          {params.q ? (
            <button type="button" className="button" onClick={() => setParams({ q: '' })}>
              Clear the filter
            </button>
          ) : (
            empty
          )}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c) => {
                  const active = c.sortKey !== undefined && params.sort === c.sortKey;
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.className}
                      aria-sort={
                        active ? (params.order === 'asc' ? 'ascending' : 'descending') : undefined
                      }
                    >
                      {c.sortKey ? (
                        <button
                          type="button"
                          className="sort-button"
                          onClick={() =>
                            setParams({
                              sort: c.sortKey as string,
                              order: active && params.order === 'asc' ? 'desc' : 'asc',
                            })
                          }
                        >
                          {c.header}
                          <span aria-hidden="true">
                            {active ? (params.order === 'asc' ? ' ▲' : ' ▼') : ''}
                          </span>
                        </button>
                      ) : (
                        c.header
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((c) => (
                    <td key={c.key} className={c.className}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total !== undefined && total > pageSize ? (
        <nav className="pager" aria-label={`${caption} pages`}>
          <button
            type="button"
            className="button button--small"
            disabled={params.page <= 1}
            onClick={() => setParams({ page: params.page - 1 })}
          >
            Previous page
          </button>
          <span>
            Page {Math.min(params.page, pages)} of {pages} · {total} in all
          </span>
          <button
            type="button"
            className="button button--small"
            disabled={params.page >= pages}
            onClick={() => setParams({ page: params.page + 1 })}
          >
            Next page
          </button>
        </nav>
      ) : null}
    </section>
  );
}
