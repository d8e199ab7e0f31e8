import { z } from 'zod';
import { OcidSchema } from '../common/common.schema.ts';
import { MtlsModeSchema } from '../mtls/mtls.ts';

/**
 * Where a staged migration should take a mesh minimum (`raiseBlockingServices`: also raise the
 * services that declare a less strict mode, before the mesh, case A6) or a virtual service's mode
 * (`mode: null`: inherit the mesh minimum).
 */
export const MigrationTargetInputSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('mesh'),
      meshId: OcidSchema,
      minimum: MtlsModeSchema,
      raiseBlockingServices: z.boolean().optional(),
    }),
    z.strictObject({
      kind: z.literal('virtualService'),
      id: OcidSchema,
      mode: MtlsModeSchema.nullable(),
    }),
  ],
  {
    error: (issue) =>
      issue.input === undefined ? 'required' : 'kind must be mesh or virtualService',
  },
);
export type MigrationTargetInput = z.infer<typeof MigrationTargetInputSchema>;

/** The body of `POST /api/migrations/plan` and `POST /api/migrations`. */
export const MigrationRequestSchema = z.strictObject({ target: MigrationTargetInputSchema });
export type MigrationRequest = z.infer<typeof MigrationRequestSchema>;

/** A migration's state; the same names as a work request's, which reports it (spec §3.8). */
export const MIGRATION_STATUSES = [
  'ACCEPTED',
  'IN_PROGRESS',
  'CANCELING',
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** States after which a migration changes nothing any more. */
export const FINISHED_MIGRATION_STATUSES: readonly MigrationStatus[] = [
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
];
