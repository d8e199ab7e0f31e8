import type { EdgeOrigin } from '@meshdeck/domain';
import { useState } from 'react';
import type { EdgeRow } from '../to-flow-graph.ts';
import { EdgeStateBadge } from './edge-state-badge.tsx';

const ORIGIN_TEXT: Record<EdgeOrigin, string> = {
  route: 'gateway route',
  policy: 'access policy',
  exposure: 'reachable from outside',
};

/** Rows the connection table shows before "Show more". */
export const TABLE_PAGE = 200;

export function originsText(origins: EdgeOrigin[]): string {
  return origins.map((o) => ORIGIN_TEXT[o]).join(', ');
}

/** The graph's edges as a table: the accessible, searchable twin of the canvas (case B1). */
export function EdgeTable({
  rows,
  selectedId,
  onShow,
}: {
  rows: EdgeRow[];
  selectedId: string | undefined;
  onShow: (id: string) => void;
}) {
  // Thousands of rows would cost more than the graph itself: show them a page at a time.
  const [shown, setShown] = useState(TABLE_PAGE);
  const visible = rows.length > shown ? rows.slice(0, shown) : rows;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>Connections ({rows.length})</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">State</th>
            <th scope="col">Reason</th>
            <th scope="col">Drawn for</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {visible.map((row) => (
            <tr key={row.id} className={row.id === selectedId ? 'is-selected' : undefined}>
              <td>{row.sourceName}</td>
              <td>{row.targetName}</td>
              <td>
                <EdgeStateBadge state={row.state} />
              </td>
              <td className="reason">{row.reason}</td>
              <td className="muted">{originsText(row.origins)}</td>
              <td>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`Details of ${row.sourceName} → ${row.targetName}`}
                  onClick={() => onShow(row.id)}
                >
                  Details
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown ? (
        <p>
          <span className="muted">
            Showing {shown} of {rows.length}.{' '}
          </span>
          <button
            type="button"
            className="button button--small"
            onClick={() => setShown((n) => n + TABLE_PAGE)}
          >
            Show {Math.min(TABLE_PAGE, rows.length - shown)} more
          </button>
        </p>
      ) : null}
    </div>
  );
}
