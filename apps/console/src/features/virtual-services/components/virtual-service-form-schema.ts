import {
  DEFAULT_MAXIMUM_VALIDITY_DAYS,
  DefaultRoutingPolicySchema,
  DescriptionSchema,
  HostSchema,
  MaximumValiditySchema,
  MTLS_MODES,
  VirtualServiceCreateSchema,
  virtualServiceModeChoices,
  type ModeChoice,
  type MtlsMode,
  type VirtualServiceCreate,
  type VirtualServiceUpdate,
} from '@meshdeck/domain';
import { z } from 'zod';

/** The mode control's values; `INHERIT` submits no mode (case F6). */
export const MODE_VALUES = ['INHERIT', ...MTLS_MODES] as const;
export type ModeValue = (typeof MODE_VALUES)[number];

/** What the mode check needs besides the form values. */
export interface ModeContext {
  meshes: readonly { id: string; minimum: MtlsMode }[];
  /** An existing service: its declared mode and when its effective mode last changed. */
  current?: { declared: MtlsMode | null; lastChangedAt: string | null } | undefined;
  now: Date;
}

const create = VirtualServiceCreateSchema.shape;

/** Kept as the input's text so an empty box stays empty and never becomes 0. */
const maximumValidityText = z.string().superRefine((text, ctx) => {
  if (text.trim() === '') return;
  const parsed = MaximumValiditySchema.safeParse(Number(text));
  if (!parsed.success) {
    ctx.addIssue({
      code: 'custom',
      message: parsed.error.issues[0]?.message ?? 'invalid number of days',
    });
  }
});

/**
 * The form's fields, each from the domain's create schema. Values are what the inputs hold
 * (strings, host rows), with no transforms, so input and output types match.
 */
export const VirtualServiceFormFieldsSchema = z.object({
  meshId: create.meshId,
  name: create.name,
  description: DescriptionSchema,
  hosts: z.array(z.object({ value: HostSchema })).max(10, { error: 'at most 10 hosts' }),
  defaultRoutingPolicy: DefaultRoutingPolicySchema.shape.type,
  mode: z.enum(MODE_VALUES, { error: 'choose a mode' }),
  maximumValidity: maximumValidityText,
});
export type VirtualServiceFormValues = z.infer<typeof VirtualServiceFormFieldsSchema>;

/** The mode choices for the selected mesh, or undefined while no known mesh is selected. */
export function modeChoicesFor(meshId: string, ctx: ModeContext): ModeChoice[] | undefined {
  const mesh = ctx.meshes.find((m) => m.id === meshId);
  if (!mesh) return undefined;
  return virtualServiceModeChoices({
    meshMinimum: mesh.minimum,
    ...(ctx.current ? { current: ctx.current } : {}),
    now: ctx.now,
  });
}

/**
 * Fields plus the mode-vs-mesh check (VS001, and MTLS001/002 on edit). The check sits on its own
 * side of an intersection, not in a refinement of the fields object: zod skips an object's
 * refinements once a field has failed with `abort` (the domain's NameSchema does on an empty
 * name), which would hide the mode error until the name is fixed (case F2). Each side of an
 * intersection is parsed on its own and their issues are merged. The check reads the mesh from
 * the values, so re-running it after a mesh change clears or restores the error (cases F1, F3).
 */
export function virtualServiceFormSchema(ctx: ModeContext) {
  const modeCheck = z
    .object({ meshId: z.string(), mode: z.enum(MODE_VALUES) })
    .superRefine((values, issues) => {
      const choice = modeChoicesFor(values.meshId, ctx)?.find((c) => c.value === values.mode);
      if (choice && !choice.allowed) {
        issues.addIssue({
          code: 'custom',
          path: ['mode'],
          message: choice.reason ?? `${choice.label} is not allowed here`,
        });
      }
    });
  return z.intersection(VirtualServiceFormFieldsSchema, modeCheck);
}

export function emptyVirtualServiceFormValues(meshId = ''): VirtualServiceFormValues {
  return {
    meshId,
    name: '',
    description: '',
    hosts: [],
    defaultRoutingPolicy: 'UNIFORM',
    mode: 'INHERIT',
    maximumValidity: '',
  };
}

function mtlsInput(values: VirtualServiceFormValues) {
  const days = values.maximumValidity.trim();
  return {
    ...(values.mode !== 'INHERIT' ? { mode: values.mode } : {}),
    ...(days !== '' ? { maximumValidity: Number(days) } : {}),
  };
}

/** The POST body. "Inherit" sends no mode at all, never "" (case F6). */
export function toVirtualServiceCreate(
  values: VirtualServiceFormValues,
  mesh: { compartmentId: string },
): VirtualServiceCreate {
  const mtls = mtlsInput(values);
  return {
    compartmentId: mesh.compartmentId,
    meshId: values.meshId,
    name: values.name,
    ...(values.description !== '' ? { description: values.description } : {}),
    hosts: values.hosts.map((h) => h.value),
    defaultRoutingPolicy: { type: values.defaultRoutingPolicy },
    ...(Object.keys(mtls).length > 0 ? { mtls } : {}),
  };
}

/** Which form fields the user changed: react-hook-form's `dirtyFields` (nested for hosts). */
export type DirtyFields = { [K in keyof VirtualServiceFormValues]?: unknown };

/** A `dirtyFields` entry: `true`, or an array/object with a dirty entry (host rows). */
function isDirty(entry: unknown): boolean {
  if (entry === true) return true;
  if (Array.isArray(entry)) return entry.some(isDirty);
  if (entry && typeof entry === 'object') return Object.values(entry).some(isDirty);
  return false;
}

/**
 * The PUT body: only what the user changed, so a save never rewrites a field someone else changed
 * meanwhile (the `if-match` etag catches that too; this keeps the intent small). Mesh and name are
 * immutable and never sent. `mtls` goes only when the mode or the validity changed, because an
 * mtls key is what changes mTLS (case A5): `null` means inherit, `{ mode }` a declared mode; an
 * untouched validity is left out, a cleared one means the default again.
 */
export function toVirtualServiceUpdate(
  values: VirtualServiceFormValues,
  dirty: DirtyFields,
): VirtualServiceUpdate {
  const body: VirtualServiceUpdate = {};
  if (isDirty(dirty.description)) body.description = values.description;
  if (isDirty(dirty.hosts)) body.hosts = values.hosts.map((h) => h.value);
  if (isDirty(dirty.defaultRoutingPolicy)) {
    body.defaultRoutingPolicy = { type: values.defaultRoutingPolicy };
  }
  const modeChanged = isDirty(dirty.mode);
  const validityChanged = isDirty(dirty.maximumValidity);
  if (modeChanged || validityChanged) {
    const days = values.maximumValidity.trim();
    const validity = validityChanged
      ? { maximumValidity: days === '' ? DEFAULT_MAXIMUM_VALIDITY_DAYS : Number(days) }
      : {};
    // The mode is sent as it stands even when only the validity changed: an mtls object without
    // a mode would mean "inherit" and drop a declared mode.
    body.mtls =
      values.mode === 'INHERIT'
        ? validityChanged
          ? validity
          : null
        : { mode: values.mode, ...validity };
  }
  return body;
}

type FormField =
  | 'meshId'
  | 'name'
  | 'description'
  | 'defaultRoutingPolicy'
  | 'mode'
  | 'maximumValidity'
  | 'hosts'
  | `hosts.${number}.value`;

/** Where a server field error (`mtls.mode`, `hosts[2]`) lands in the form; undefined if nowhere. */
export function formFieldForServerPath(path: string): FormField | undefined {
  const host = /^hosts\[(\d+)\]/.exec(path);
  if (host) return `hosts.${Number(host[1])}.value`;
  switch (path) {
    case 'meshId':
    case 'compartmentId':
      return 'meshId';
    case 'name':
    case 'description':
    case 'hosts':
      return path;
    case 'defaultRoutingPolicy':
    case 'defaultRoutingPolicy.type':
      return 'defaultRoutingPolicy';
    case 'mtls':
    case 'mtls.mode':
      return 'mode';
    case 'mtls.maximumValidity':
      return 'maximumValidity';
    default:
      return undefined;
  }
}
