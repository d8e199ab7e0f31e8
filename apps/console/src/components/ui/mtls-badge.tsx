import type { MtlsMode } from '@meshdeck/domain';
import { LockIcon, type LockShape } from './lock-icon.tsx';

const SHAPE: Record<MtlsMode, LockShape> = {
  STRICT: 'closed',
  PERMISSIVE: 'half',
  DISABLED: 'open',
};

export interface MtlsBadgeProps {
  mode: MtlsMode;
  /** The mode comes from the mesh minimum (no declared mode). */
  inherited?: boolean;
  /** "· inherited" instead of "· inherited from mesh", for tight spots like graph nodes. */
  short?: boolean;
}

/**
 * The one mTLS badge of the console: icon shape + text, so it never relies on colour (case A1).
 * The effective mode decides the look; an inherited mode says so.
 */
export function MtlsBadge({ mode, inherited = false, short = false }: MtlsBadgeProps) {
  return (
    <span className={`mtls-badge mtls-badge--${mode.toLowerCase()}`} data-mode={mode}>
      <LockIcon shape={SHAPE[mode]} />
      <span className="mtls-badge__mode">{mode}</span>
      {inherited ? (
        <span className="mtls-badge__inherited">
          {short ? ' · inherited' : ' · inherited from mesh'}
        </span>
      ) : null}
    </span>
  );
}
