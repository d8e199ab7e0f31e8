import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { certificateQueries } from '../api/certificate-queries.ts';
import { CertificateTable } from '../components/certificate-table.tsx';

/** The Certificates tab of a mesh: every leaf, its state and alerts, in renewal order. */
export function MeshCertificatesPage() {
  const meshId = useParams().meshId ?? '';
  const query = useQuery(certificateQueries.list({ meshId }));
  if (query.isPending) return <LoadingState label="Loading certificates…" />;
  if (query.isError) {
    return (
      <ErrorState
        title="Could not load the certificates"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  }
  if (query.data.length === 0) {
    return <p className="muted">No certificates: this mesh has no virtual services or gateways.</p>;
  }
  return <CertificateTable certificates={query.data} />;
}
