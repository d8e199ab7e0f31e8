import { z } from 'zod';

/** mTLS modes, from least to most strict. */
export const MTLS_MODES = ['DISABLED', 'PERMISSIVE', 'STRICT'] as const;
export const MtlsModeSchema = z.enum(MTLS_MODES, {
  error: 'mode must be DISABLED, PERMISSIVE, STRICT or omitted',
});
export type MtlsMode = z.infer<typeof MtlsModeSchema>;

/** The mesh minimum when a mesh is created without an `mtls` block (OCI default). */
export const DEFAULT_MESH_MINIMUM: MtlsMode = 'STRICT';

/** Seconds that must pass between two effective mode changes of one resource (OCI docs). */
export const PROPAGATION_DELAY_SECONDS = 30;

export function modeRank(mode: MtlsMode): number {
  return MTLS_MODES.indexOf(mode);
}

/** True when `mode` is at least as strict as `minimum`. */
export function isAtLeast(mode: MtlsMode, minimum: MtlsMode): boolean {
  return modeRank(mode) >= modeRank(minimum);
}

/** A virtual service's effective mode: its declared mode, else the mesh minimum (live inheritance). */
export function effectiveMode(
  declared: MtlsMode | null | undefined,
  meshMinimum: MtlsMode,
): MtlsMode {
  return declared ?? meshMinimum;
}

/** Human label used on every surface: "PERMISSIVE · inherited from mesh" or "STRICT". */
export function modeLabel(declared: MtlsMode | null | undefined, meshMinimum: MtlsMode): string {
  const effective = effectiveMode(declared, meshMinimum);
  return declared ? effective : `${effective} · inherited from mesh`;
}

export function belowMinimumMessage(mode: MtlsMode, minimum: MtlsMode): string {
  return `${mode} is less strict than mesh minimum ${minimum}`;
}

/** The modes on the way from `from` to `to`, both ends included (DISABLED→STRICT has three). */
export function modePath(from: MtlsMode, to: MtlsMode): MtlsMode[] {
  const a = modeRank(from);
  const b = modeRank(to);
  const step = a <= b ? 1 : -1;
  const path: MtlsMode[] = [];
  for (let i = a; ; i += step) {
    path.push(MTLS_MODES[i] as MtlsMode);
    if (i === b) break;
  }
  return path;
}

export type ModeChangeVerdict =
  | { ok: true }
  | { ok: false; code: 'NOT_ADJACENT'; message: string }
  | { ok: false; code: 'TOO_SOON'; message: string; retryAfterSeconds: number };

/**
 * Whether an effective mode change from `from` to `to` may happen at `now`: only to an adjacent
 * mode, and only when the propagation delay has passed since the last effective change
 * (OCI "Changing mTLS Settings for a Deployed Mesh or Virtual Service"; case A10).
 */
export function checkModeChange(input: {
  from: MtlsMode;
  to: MtlsMode;
  lastChangedAt: string | null | undefined;
  now: Date;
}): ModeChangeVerdict {
  const { from, to, lastChangedAt, now } = input;
  if (from === to) return { ok: true };
  if (Math.abs(modeRank(from) - modeRank(to)) > 1) {
    return {
      ok: false,
      code: 'NOT_ADJACENT',
      message: `one step at a time: ${modePath(from, to).join('→')}`,
    };
  }
  const waitMs = remainingWaitMs(lastChangedAt, now);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    return {
      ok: false,
      code: 'TOO_SOON',
      message: `the last mTLS change is still propagating: wait ${seconds} s`,
      retryAfterSeconds: seconds,
    };
  }
  return { ok: true };
}

/** Milliseconds left before another effective change is allowed (0 when none). */
export function remainingWaitMs(lastChangedAt: string | null | undefined, now: Date): number {
  if (!lastChangedAt) return 0;
  const due = Date.parse(lastChangedAt) + PROPAGATION_DELAY_SECONDS * 1000;
  return Math.max(0, due - now.getTime());
}

/** One choice in a mode control: `INHERIT` stands for "no declared mode". */
export type ModeChoiceValue = MtlsMode | 'INHERIT';
export interface ModeChoice {
  value: ModeChoiceValue;
  label: string;
  allowed: boolean;
  /** Why the choice is greyed out; absent when allowed. */
  reason?: string;
}

/**
 * The choices a virtual-service form offers for its mTLS mode, each with the reason when it is not
 * allowed. For a new service only the mesh minimum matters; for an existing one the change must
 * also be adjacent and respect the propagation delay (judged on the effective mode).
 */
export function virtualServiceModeChoices(input: {
  meshMinimum: MtlsMode;
  current?: { declared: MtlsMode | null; lastChangedAt: string | null };
  now: Date;
}): ModeChoice[] {
  const { meshMinimum, current, now } = input;
  const choices: ModeChoice[] = [];
  const values: ModeChoiceValue[] = ['INHERIT', ...MTLS_MODES];
  for (const value of values) {
    const target = value === 'INHERIT' ? meshMinimum : value;
    const label = value === 'INHERIT' ? `Inherit from mesh (${meshMinimum})` : value;
    let reason: string | undefined;
    if (value !== 'INHERIT' && !isAtLeast(value, meshMinimum)) {
      reason = belowMinimumMessage(value, meshMinimum);
    } else if (current) {
      const verdict = checkModeChange({
        from: effectiveMode(current.declared, meshMinimum),
        to: target,
        lastChangedAt: current.lastChangedAt,
        now,
      });
      if (!verdict.ok) reason = verdict.message;
    }
    choices.push(
      reason ? { value, label, allowed: false, reason } : { value, label, allowed: true },
    );
  }
  return choices;
}

/** A service of a mesh as the mesh-minimum rules see it. */
export interface MeshServiceMode {
  name: string;
  /** null: inherits the mesh minimum. */
  declared: MtlsMode | null;
  /** When its effective mode last changed (inherited changes included); null: never. */
  lastChangedAt?: string | null;
}

/**
 * A mesh minimum change moves the effective mode of every inheriting service with it, so it must
 * wait for each of them too: the longest remaining wait among the inheriting services, with the
 * service it belongs to (undefined when none has to wait). Case A10, inherited changes included.
 */
export function inheritingServiceWait(
  services: readonly MeshServiceMode[],
  now: Date,
): { name: string; seconds: number; message: string } | undefined {
  let longest: { name: string; ms: number } | undefined;
  for (const s of [...services].sort((a, b) => a.name.localeCompare(b.name))) {
    if (s.declared !== null) continue;
    const ms = remainingWaitMs(s.lastChangedAt, now);
    if (ms > 0 && (!longest || ms > longest.ms)) longest = { name: s.name, ms };
  }
  if (!longest) return undefined;
  const seconds = Math.ceil(longest.ms / 1000);
  return {
    name: longest.name,
    seconds,
    message: `the last mTLS change of inheriting service ${longest.name} is still propagating: wait ${seconds} s`,
  };
}

/**
 * The choices for a mesh minimum, given its services: a raise is greyed while services declare a
 * less strict mode (named, case A6); any change is greyed when it is not adjacent or while the
 * mesh's or an inheriting service's last effective change is still propagating (case A10).
 */
export function meshMinimumChoices(input: {
  current?: { minimum: MtlsMode; lastChangedAt: string | null };
  declaredServices: MeshServiceMode[];
  now: Date;
}): ModeChoice[] {
  return MTLS_MODES.map((value) => {
    const blockers = input.declaredServices.filter(
      (s) => s.declared !== null && !isAtLeast(s.declared, value),
    );
    let reason: string | undefined;
    if (blockers.length > 0)
      reason = raiseBlockedMessage(value, blockers.map((b) => b.name).sort());
    else if (input.current && input.current.minimum !== value) {
      const verdict = checkModeChange({
        from: input.current.minimum,
        to: value,
        lastChangedAt: input.current.lastChangedAt,
        now: input.now,
      });
      if (!verdict.ok) reason = verdict.message;
      else reason = inheritingServiceWait(input.declaredServices, input.now)?.message;
    }
    return reason
      ? { value, label: value, allowed: false, reason }
      : { value, label: value, allowed: true };
  });
}

export function raiseBlockedMessage(minimum: MtlsMode, serviceNames: string[]): string {
  return `cannot raise the mesh minimum to ${minimum}: ${serviceNames.join(', ')} declare${
    serviceNames.length === 1 ? 's' : ''
  } a less strict mode`;
}
