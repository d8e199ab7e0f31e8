/** `2025-04-30 00:00 UTC`: every instant is UTC on the wire (DESIGN "Time"), and shown as UTC. */
export function formatInstant(iso: string): string {
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds && seconds !== '00' ? `:${seconds}` : ''} UTC`;
}

export function Instant({ iso, empty = '—' }: { iso: string | null | undefined; empty?: string }) {
  if (!iso) return <span className="muted">{empty}</span>;
  return <time dateTime={iso}>{formatInstant(iso)}</time>;
}
