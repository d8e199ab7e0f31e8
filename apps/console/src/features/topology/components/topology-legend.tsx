import type { EdgeState } from '@meshdeck/domain';
import { EdgeStateBadge } from './edge-state-badge.tsx';

const LEGEND: { state: EdgeState; text: string }[] = [
  { state: 'mtls', text: 'solid line: mutual TLS inside the mesh' },
  { state: 'tls', text: 'long dashes: one-way TLS (gateway listener or HTTPS egress)' },
  { state: 'plaintext', text: 'short dashes: allowed, unencrypted' },
  {
    state: 'refused',
    text: 'dotted, crossed end: STRICT service refuses callers outside the mesh',
  },
  { state: 'denied', text: 'dash-dot, crossed end: no access policy allows it' },
];

export function TopologyLegend() {
  return (
    <ul className="legend" aria-label="Edge legend">
      {LEGEND.map(({ state, text }) => (
        <li key={state}>
          <svg width="40" height="10" aria-hidden="true" focusable="false">
            <line className={`edge-path edge-path--${state}`} x1="2" y1="5" x2="38" y2="5" />
          </svg>
          <EdgeStateBadge state={state} />
          <span className="muted">{text}</span>
        </li>
      ))}
    </ul>
  );
}
