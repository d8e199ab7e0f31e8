import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { auditQueries } from '../api/audit.api.ts';
import { AuditTable } from './audit-table.tsx';

/** The last changes to a mesh and everything in it (the audit, filtered by mesh). */
export function RecentChangesPanel({ meshId }: { meshId: string }) {
  const query = useQuery(auditQueries.list({ meshId, limit: 10 }));
  return (
    <section className="panel" aria-labelledby={`changes-${meshId}`}>
      <h2 id={`changes-${meshId}`}>Recent changes</h2>
      {query.isPending ? (
        <LoadingState label="Loading recent changes…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <p className="muted">No changes recorded yet.</p>
      ) : (
        <AuditTable events={query.data.items} caption="Recent changes to this mesh" />
      )}
      <p>
        <Link to={`/audit?meshId=${encodeURIComponent(meshId)}`}>All changes to this mesh</Link>
      </p>
    </section>
  );
}
