import '../export.css';
import { useParams } from 'react-router';

const FORMATS = [
  { format: 'oci-json', label: 'OCI JSON', hint: 'meshdeck/oci-json@1, OCI read models' },
  {
    format: 'operator-yaml',
    label: 'Operator YAML',
    hint: 'OCI Service Operator custom resources',
  },
] as const;

/** The export URL of a mesh in one format (`GET /api/meshes/:id/export`, a file download). */
export function exportHref(meshId: string, format: (typeof FORMATS)[number]['format']): string {
  return `/api/meshes/${encodeURIComponent(meshId)}/export?format=${format}`;
}

/**
 * "Export" on the mesh page: a disclosure with one download link per format. Both files import
 * back (Import page or `POST /api/import`) to the same mesh. Plain links, so the browser does the
 * download and the keyboard reaches them like any link.
 */
export function ExportMenu({ meshId: given }: { meshId?: string }) {
  const routeMeshId = useParams().meshId ?? '';
  const meshId = given ?? routeMeshId;
  return (
    <details className="export-menu">
      <summary className="button button--small">Export</summary>
      <ul className="export-menu__list" aria-label="Export formats">
        {FORMATS.map((f) => (
          <li key={f.format}>
            <a href={exportHref(meshId, f.format)} download>
              Export as {f.label}
            </a>
            <span className="muted"> — {f.hint}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
