import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { meshQueries } from '../api/mesh-queries.ts';
import { MeshTable } from '../components/mesh-table.tsx';

export function MeshListPage() {
  const query = useQuery(meshQueries.list());
  return (
    <>
      <PageHeader
        title="Meshes"
        actions={
          <Link className="button" to="/import">
            Import configuration
          </Link>
        }
      />
      {query.isPending ? (
        <LoadingState label="Loading meshes…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <EmptyState title="No meshes yet">
          <Link to="/import">Import</Link> an OCI Service Operator YAML or OCI JSON export to start.
        </EmptyState>
      ) : (
        <MeshTable meshes={query.data} />
      )}
    </>
  );
}
