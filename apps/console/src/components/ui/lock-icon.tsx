export type LockShape = 'closed' | 'half' | 'open' | 'cross';

/**
 * The mTLS glyphs. Shapes differ, not only colours (case A1): closed lock for STRICT/mTLS, a lock
 * with a hollow half-open shackle for PERMISSIVE, an open lock for DISABLED/plaintext and a crossed
 * circle for traffic that never flows. Always paired with text; the icon itself is hidden.
 */
export function LockIcon({ shape, size = 14 }: { shape: LockShape; size?: number }) {
  return (
    <svg
      className={`lock-icon lock-icon--${shape}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      {shape === 'cross' ? (
        <>
          <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M5 5l6 6M11 5l-6 6" stroke="currentColor" strokeWidth="1.6" />
        </>
      ) : (
        <>
          <path
            d={
              shape === 'closed'
                ? 'M4.5 7V5a3.5 3.5 0 0 1 7 0v2'
                : shape === 'half'
                  ? 'M4.5 7V5a3.5 3.5 0 0 1 7 0v0.5'
                  : 'M4.5 7V4.5a3.5 3.5 0 0 1 6.6-1.6'
            }
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinecap="round"
          />
          <rect
            x="2.8"
            y="7"
            width="10.4"
            height="7.4"
            rx="1.4"
            fill={shape === 'closed' ? 'currentColor' : 'none'}
            stroke="currentColor"
            strokeWidth="1.6"
          />
          {shape === 'half' ? (
            <path
              d="M2.8 10.7h10.4v2.3a1.4 1.4 0 0 1-1.4 1.4H4.2a1.4 1.4 0 0 1-1.4-1.4z"
              fill="currentColor"
            />
          ) : null}
        </>
      )}
    </svg>
  );
}
