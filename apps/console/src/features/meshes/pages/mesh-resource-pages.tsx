import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { meshQueries } from '../api/mesh-queries.ts';
import { namesById } from '../components/mesh-resources.ts';
import { RouteTableTable } from '../components/resource-tables.tsx';

/** The ingress gateway route tables of the mesh (under the Route tables tab, app/router.tsx). */
export function MeshIngressRouteTablesSection() {
  const meshId = useParams().meshId ?? '';
  const query = useQuery(meshQueries.detail(meshId));
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <section aria-labelledby="ingress-route-tables-heading">
      <h2 id="ingress-route-tables-heading">Ingress gateway route tables</h2>
      {query.data.ingressGatewayRouteTables.length === 0 ? (
        <EmptyState title="No ingress gateway route tables" />
      ) : (
        <RouteTableTable
          virtualServiceRouteTables={[]}
          ingressGatewayRouteTables={query.data.ingressGatewayRouteTables}
          names={namesById(query.data)}
        />
      )}
    </section>
  );
}
