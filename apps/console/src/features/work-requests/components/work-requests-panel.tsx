import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { workRequestQueries } from '../api/work-requests-queries.ts';
import type { ResourceWorkRequest } from '../api/work-requests.api.ts';

const when = (iso: string | undefined) =>
  iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';

function Entry({ wr }: { wr: ResourceWorkRequest }) {
  return (
    <li className="work-request">
      <details>
        <summary>
          <span className="work-request__op">{wr.operationType}</span>{' '}
          <span className={`work-request__status work-request__status--${wr.status.toLowerCase()}`}>
            {wr.status}
          </span>{' '}
          <span className="muted">
            {wr.percentComplete}% · accepted {when(wr.timeAccepted)}
            {wr.timeFinished ? ` · finished ${when(wr.timeFinished)}` : ''}
          </span>
        </summary>
        {wr.errors.length > 0 ? (
          <ul aria-label={`Errors of ${wr.operationType}`} className="work-request__errors">
            {wr.errors.map((e, i) => (
              <li key={i}>
                <code>{e.code}</code> {e.message} <span className="muted">{when(e.timestamp)}</span>
              </li>
            ))}
          </ul>
        ) : null}
        <ol aria-label={`Log of ${wr.operationType}`} className="work-request__log">
          {wr.logs.map((l, i) => (
            <li key={i}>
              <span className="muted">{when(l.timestamp)}</span> {l.message}
            </li>
          ))}
        </ol>
        <p className="muted">
          Work request <code>{wr.id}</code>
        </p>
      </details>
    </li>
  );
}

/** The work requests that touched one resource (OCI lifecycle, updates, moves), newest first. */
export function WorkRequestsPanel({ resourceId }: { resourceId: string }) {
  const query = useQuery(workRequestQueries.forResource(resourceId));
  return (
    <section className="panel" aria-labelledby={`wr-${resourceId}`}>
      <h2 id={`wr-${resourceId}`}>Work requests</h2>
      {query.isPending ? (
        <LoadingState label="Loading work requests…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <p className="muted">No work requests yet.</p>
      ) : (
        <ul className="work-requests">
          {query.data.items.map((wr) => (
            <Entry key={wr.id} wr={wr} />
          ))}
        </ul>
      )}
    </section>
  );
}
