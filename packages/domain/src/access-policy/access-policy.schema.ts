import { z } from 'zod';
import {
  DescriptionSchema,
  NameSchema,
  OcidFormatSchema,
  OcidSchema,
  PortSchema,
  REQUIRED,
  resourceReadFields,
  tagInputFields,
} from '../common/common.schema.ts';
import { isCidrBlock, isHostnamePattern } from '../policy/hostname.ts';

/**
 * An external service: hostnames (HTTP/HTTPS, prefix wildcards, `*` = all egress) or CIDR blocks
 * (TCP); empty ports = all ports (spec §4). A target that names no host and no address would
 * match nothing, so it is refused.
 */
export const ExternalServiceTargetSchema = z
  .strictObject({
    type: z.literal('EXTERNAL_SERVICE'),
    hostnames: z
      .array(
        z
          .string()
          .trim()
          .min(1, { error: 'hostname must not be empty' })
          .max(255)
          .refine(isHostnamePattern, {
            error: 'must be a hostname (api.example.com), *.example.com or *',
          }),
      )
      .max(10, { error: 'at most 10 hostnames' })
      .optional(),
    ipAddresses: z
      .array(
        z.string().refine(isCidrBlock, {
          error: 'must be an IPv4 address or CIDR block (10.0.0.0/8): parts 0–255, prefix 0–32',
        }),
      )
      .max(10, { error: 'at most 10 addresses' })
      .optional(),
    ports: z.array(PortSchema).max(10, { error: 'at most 10 ports' }).optional(),
    protocol: z
      .enum(['HTTP', 'HTTPS', 'TCP'], { error: 'protocol must be HTTP, HTTPS or TCP' })
      .optional(),
  })
  .superRefine((t, ctx) => {
    const hosts = t.hostnames?.length ?? 0;
    const ips = t.ipAddresses?.length ?? 0;
    if (hosts === 0 && ips === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostnames'],
        message: 'an external service needs hostnames (HTTP, HTTPS) or ipAddresses (TCP)',
      });
    } else if ((t.protocol === 'HTTP' || t.protocol === 'HTTPS') && hosts === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostnames'],
        message: `${t.protocol} needs hostnames`,
      });
    } else if (t.protocol === 'TCP' && ips === 0) {
      ctx.addIssue({ code: 'custom', path: ['ipAddresses'], message: 'TCP needs ipAddresses' });
    }
  });

/** AccessPolicyTarget, polymorphic on `type`. Ids are required on input. */
export const AccessPolicyTargetSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('ALL_VIRTUAL_SERVICES') }),
    z.strictObject({ type: z.literal('VIRTUAL_SERVICE'), virtualServiceId: OcidSchema }),
    z.strictObject({ type: z.literal('INGRESS_GATEWAY'), ingressGatewayId: OcidSchema }),
    ExternalServiceTargetSchema,
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

const rules = z.array(AccessPolicyRuleSchema, REQUIRED).max(50, { error: 'at most 50 rules' });

export const AccessPolicyCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
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
