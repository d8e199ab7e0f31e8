import { useParams } from 'react-router';
import { WorkRequestsPanel } from '../components/work-requests-panel.tsx';

/** The mesh page's "Work requests" tab: the mesh's own lifecycle, updates and moves. */
export function MeshWorkRequestsPage() {
  const meshId = useParams().meshId ?? '';
  return (
    <div className="tab-panel">
      <WorkRequestsPanel resourceId={meshId} />
    </div>
  );
}
