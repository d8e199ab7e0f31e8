import { z } from 'zod';
import {
  AccessLoggingSchema,
  DescriptionSchema,
  NameSchema,
  OcidFormatSchema,
  OcidSchema,
  PortSchema,
  REQUIRED,
  resourceReadFields,
  tagInputFields,
} from '../common/common.schema.ts';
import { isHostname } from '../policy/hostname.ts';

/** Why a service-discovery hostname was refused; the console form shows the same words. */
export const DNS_HOSTNAME_MESSAGE =
  'must be a DNS hostname: dot-separated labels of letters, digits and - (reviews.shop.svc.cluster.local)';

/** A DNS hostname (RFC 1123 labels, at most 253 characters), as service discovery resolves it. */
export const DnsHostnameSchema = z
  .string(REQUIRED)
  .min(1, { error: 'required', abort: true })
  .max(253, { error: 'must be at most 253 characters', abort: true })
  .refine(isHostname, { error: DNS_HOSTNAME_MESSAGE });

/** ServiceDiscoveryConfiguration, polymorphic on `type`. */
export const ServiceDiscoverySchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('DNS'),
      hostname: DnsHostnameSchema,
    }),
    z.strictObject({ type: z.literal('DISABLED') }),
  ],
  { error: 'type must be DNS or DISABLED' },
);
export type ServiceDiscovery = z.infer<typeof ServiceDiscoverySchema>;

export const DeploymentListenerSchema = z.strictObject({
  protocol: z.enum(['HTTP', 'TLS_PASSTHROUGH', 'TCP', 'HTTP2', 'GRPC'], {
    error: 'protocol must be HTTP, TLS_PASSTHROUGH, TCP, HTTP2 or GRPC',
  }),
  port: PortSchema,
  requestTimeoutInMs: z.int().min(0, { error: 'must be ≥ 0' }).optional(),
  idleTimeoutInMs: z.int().min(0, { error: 'must be ≥ 0' }).optional(),
});
export type DeploymentListener = z.infer<typeof DeploymentListenerSchema>;

const listeners = z.array(DeploymentListenerSchema).max(10, { error: 'at most 10 listeners' });

export const VirtualDeploymentCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
  virtualServiceId: OcidSchema,
  name: NameSchema,
  description: DescriptionSchema.optional(),
  serviceDiscovery: ServiceDiscoverySchema.optional(),
  listeners: listeners.optional(),
  accessLogging: AccessLoggingSchema.optional(),
  ...tagInputFields,
});
export type VirtualDeploymentCreate = z.infer<typeof VirtualDeploymentCreateSchema>;

export const VirtualDeploymentUpdateSchema = z.strictObject({
  description: DescriptionSchema.optional(),
  serviceDiscovery: ServiceDiscoverySchema.optional(),
  listeners: listeners.optional(),
  accessLogging: AccessLoggingSchema.optional(),
  ...tagInputFields,
});
export type VirtualDeploymentUpdate = z.infer<typeof VirtualDeploymentUpdateSchema>;

export const VirtualDeploymentSchema = z.object({
  ...resourceReadFields,
  virtualServiceId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  serviceDiscovery: z.unknown().optional(),
  listeners: z.array(z.unknown()).optional(),
  accessLogging: z.object({ isEnabled: z.boolean().optional() }).optional(),
});
export type VirtualDeployment = z.infer<typeof VirtualDeploymentSchema> & {
  serviceDiscovery?: ServiceDiscovery;
  listeners?: DeploymentListener[];
};
