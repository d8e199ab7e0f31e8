import { ocidTail } from '../../../lib/ocid.ts';
import type { MeshChoice } from '../api/virtual-services.api.ts';

/** "2026-12-03 16:51 UTC" from an ISO instant; the text as given when it is not one. */
function createdText(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/**
 * How the mesh picker names a mesh: "shop-mesh (minimum PERMISSIVE)". Display names need not be
 * unique (importing one file twice makes two "bookinfo"), so a name shared with another choice
 * also gets what tells them apart: the compartment when theirs differ, the end of the mesh's own
 * OCID and when it was created.
 */
export function meshOptionLabel(mesh: MeshChoice, all: readonly MeshChoice[]): string {
  const base = `${mesh.displayName} (minimum ${mesh.minimum})`;
  const namesakes = all.filter((m) => m.displayName === mesh.displayName);
  if (namesakes.length < 2) return base;
  const compartments = new Set(namesakes.map((m) => m.compartmentId));
  return [
    base,
    ...(compartments.size > 1 ? [`compartment ${ocidTail(mesh.compartmentId)}`] : []),
    `id ${ocidTail(mesh.id, 6)}`,
    ...(mesh.timeCreated ? [`created ${createdText(mesh.timeCreated)}`] : []),
  ].join(' · ');
}
