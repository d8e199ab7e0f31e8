import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { virtualServiceQueries } from '../api/virtual-service-queries.ts';
import { VirtualServiceTable } from '../components/virtual-service-table.tsx';

/** The mesh page's "Virtual services" tab. */
export function VirtualServiceListPage() {
  const meshId = useParams().meshId ?? '';
  const query = useQuery(virtualServiceQueries.list({ meshId }));
  const newLink = (
    <WriteOnly>
      <Link
        className="button button--primary"
        to={`/meshes/${encodeURIComponent(meshId)}/services/new`}
      >
        New virtual service
      </Link>
    </WriteOnly>
  );

  if (query.isPending) return <LoadingState label="Loading virtual services…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;

  const { virtualServices, meshName } = query.data;
  return (
    <section className="tab-panel">
      <div className="toolbar">{newLink}</div>
      {virtualServices.length === 0 ? (
        <EmptyState title="No virtual services yet">
          Create one to give a service a name, hosts and an mTLS mode.
        </EmptyState>
      ) : (
        <VirtualServiceTable
          services={virtualServices}
          caption={`Virtual services of ${meshName}`}
        />
      )}
    </section>
  );
}
