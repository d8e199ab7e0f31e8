import { z } from 'zod';
import { OcidSchema, PortSchema, REQUIRED } from '../common/common.schema.ts';

/** Route priority: lower number = applied first. */
export const PrioritySchema = z
  .int({ error: 'priority must be a whole number' })
  .min(0, { error: 'priority must be between 0 and 1000' })
  .max(1000, { error: 'priority must be between 0 and 1000' });

/** Route weights are integers ≥ 0 (case C4: 0 per target is fine, the total must be ≥ 1). */
export const WeightSchema = z
  .int({ error: 'weight must be a whole number' })
  .min(0, { error: 'weight must be ≥ 0' })
  .max(100, { error: 'weight must be ≤ 100' });

/** A prefix path; the same message in form and BFF (case C5). */
export const PathSchema = z
  .string()
  .max(2048)
  .refine((p) => p.startsWith('/'), { error: 'path must start with /' });

const httpFields = {
  path: PathSchema.optional(),
  pathType: z.enum(['PREFIX'], { error: 'pathType must be PREFIX' }).optional(),
  isGrpc: z.boolean().optional(),
  requestTimeoutInMs: z.int().min(0, { error: 'must be ≥ 0' }).optional(),
};

/** VirtualDeploymentTrafficRuleTarget (`type` may be omitted on input; it is implied). */
export const VirtualDeploymentTargetSchema = z.strictObject({
  type: z.literal('VIRTUAL_DEPLOYMENT').optional(),
  virtualDeploymentId: OcidSchema,
  weight: WeightSchema,
  port: PortSchema.optional(),
});
export type VirtualDeploymentTarget = z.infer<typeof VirtualDeploymentTargetSchema>;

/** The sum of a rule's weights must be at least 1 (case C4). */
export const TOTAL_WEIGHT_MESSAGE = 'total weight must be at least 1';

const vdDestinations = z
  .array(VirtualDeploymentTargetSchema)
  .min(1, { error: 'at least one destination' })
  .max(15, { error: 'at most 15 destinations' })
  .refine((ds) => ds.reduce((s, d) => s + d.weight, 0) >= 1, { error: TOTAL_WEIGHT_MESSAGE });

/** VirtualServiceTrafficRouteRule, polymorphic on `type`. */
export const VirtualServiceRouteRuleSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('HTTP'), ...httpFields, destinations: vdDestinations }),
    z.strictObject({ type: z.literal('TCP'), destinations: vdDestinations }),
    z.strictObject({ type: z.literal('TLS_PASSTHROUGH'), destinations: vdDestinations }),
  ],
  { error: 'type must be HTTP, TCP or TLS_PASSTHROUGH' },
);
export type VirtualServiceRouteRule = z.infer<typeof VirtualServiceRouteRuleSchema>;

/** VirtualServiceTrafficRuleTarget (used by ingress gateway route tables). */
export const VirtualServiceTargetSchema = z.strictObject({
  type: z.literal('VIRTUAL_SERVICE').optional(),
  virtualServiceId: OcidSchema,
  port: PortSchema.optional(),
  weight: WeightSchema.optional(),
});
export type VirtualServiceTarget = z.infer<typeof VirtualServiceTargetSchema>;

export const IngressGatewayHostRefSchema = z.strictObject({
  name: z.string(REQUIRED).min(1, { error: 'required' }),
  port: PortSchema.optional(),
});

const vsDestinations = z
  .array(VirtualServiceTargetSchema)
  .min(1, { error: 'at least one destination' })
  .max(15, { error: 'at most 15 destinations' });

const ingressCommon = {
  ingressGatewayHost: IngressGatewayHostRefSchema.optional(),
  destinations: vsDestinations,
};

/** IngressGatewayTrafficRouteRule, polymorphic on `type`. */
export const IngressGatewayRouteRuleSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('HTTP'),
      ...httpFields,
      isHostRewriteEnabled: z.boolean().optional(),
      isPathRewriteEnabled: z.boolean().optional(),
      ...ingressCommon,
    }),
    z.strictObject({ type: z.literal('TCP'), ...ingressCommon }),
    z.strictObject({ type: z.literal('TLS_PASSTHROUGH'), ...ingressCommon }),
  ],
  { error: 'type must be HTTP, TCP or TLS_PASSTHROUGH' },
);
export type IngressGatewayRouteRule = z.infer<typeof IngressGatewayRouteRuleSchema>;
