import type { MeshSummary } from '@meshdeck/domain';

/** "STRICT 2 · PERMISSIVE 0 · DISABLED 0 · inherited 5": effective modes of the mesh's services. */
export function ModeCounts({ counts }: { counts: MeshSummary['modeCounts'] }) {
  return (
    <span className="mode-counts">
      <span>STRICT {counts.STRICT}</span>
      <span aria-hidden="true"> · </span>
      <span>PERMISSIVE {counts.PERMISSIVE}</span>
      <span aria-hidden="true"> · </span>
      <span>DISABLED {counts.DISABLED}</span>
      <span aria-hidden="true"> · </span>
      <span>inherited {counts.inherited}</span>
    </span>
  );
}
