import { z } from 'zod';
import {
  DescriptionSchema,
  NameSchema,
  OcidSchema,
  PortSchema,
  resourceReadFields,
  tagInputFields,
} from '../common/common.schema.ts';

/** AccessPolicyTarget, polymorphic on `type`. Ids are required on input. */
export const AccessPolicyTargetSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('ALL_VIRTUAL_SERVICES') }),
    z.strictObject({ type: z.literal('VIRTUAL_SERVICE'), virtualServiceId: OcidSchema }),
    z.strictObject({ type: z.literal('INGRESS_GATEWAY'), ingressGatewayId: OcidSchema }),
    z.strictObject({
      type: z.literal('EXTERNAL_SERVICE'),
      hostnames: z.array(z.string().min(1).max(255)).max(10).optional(),
      ipAddresses: z.array(z.string().min(1).max(64)).max(10).optional(),
      ports: z.array(PortSchema).max(10).optional(),
      protocol: z
        .enum(['HTTP', 'HTTPS', 'TCP'], { error: 'protocol must be HTTP, HTTPS or TCP' })
        .optional(),
    }),
  ],
  {
    error:
      'type must be ALL_VIRTUAL_SERVICES, VIRTUAL_SERVICE, INGRESS_GATEWAY or EXTERNAL_SERVICE',
  },
);
export type AccessPolicyTarget = z.infer<typeof AccessPolicyTargetSchema>;

export const AccessPolicyRuleSchema = z.strictObject({
  action: z.literal('ALLOW', { error: 'action must be ALLOW' }),
  source: AccessPolicyTargetSchema,
  destination: AccessPolicyTargetSchema,
});
export type AccessPolicyRule = z.infer<typeof AccessPolicyRuleSchema>;

const rules = z
  .array(AccessPolicyRuleSchema, { error: 'required' })
  .max(50, { error: 'at most 50 rules' });

export const AccessPolicyCreateSchema = z.strictObject({
  compartmentId: OcidSchema,
  meshId: OcidSchema,
  name: NameSchema,
  description: DescriptionSchema.optional(),
  rules,
  ...tagInputFields,
});
export type AccessPolicyCreate = z.infer<typeof AccessPolicyCreateSchema>;

export const AccessPolicyUpdateSchema = z.strictObject({
  description: DescriptionSchema.optional(),
  rules: rules.optional(),
  ...tagInputFields,
});
export type AccessPolicyUpdate = z.infer<typeof AccessPolicyUpdateSchema>;

export const AccessPolicySchema = z.object({
  ...resourceReadFields,
  meshId: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  rules: z.array(AccessPolicyRuleSchema),
});
export type AccessPolicy = z.infer<typeof AccessPolicySchema>;
