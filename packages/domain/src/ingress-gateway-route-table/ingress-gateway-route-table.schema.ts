import { z } from 'zod';
import {
  DescriptionSchema,
  NameSchema,
  OcidFormatSchema,
  OcidSchema,
  REQUIRED,
  resourceReadFields,
  tagInputFields,
} from '../common/common.schema.ts';
import { IngressGatewayRouteRuleSchema, PrioritySchema } from '../routing/route-rule.schema.ts';

const rules = z
  .array(IngressGatewayRouteRuleSchema, REQUIRED)
  .max(200, { error: 'at most 200 rules' });

export const IngressGatewayRouteTableCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
  ingressGatewayId: OcidSchema,
  name: NameSchema,
  description: DescriptionSchema.optional(),
  priority: PrioritySchema.optional(),
  routeRules: rules,
  ...tagInputFields,
});
export type IngressGatewayRouteTableCreate = z.infer<typeof IngressGatewayRouteTableCreateSchema>;

export const IngressGatewayRouteTableUpdateSchema = z.strictObject({
  description: DescriptionSchema.optional(),
  priority: PrioritySchema.optional(),
  routeRules: rules.optional(),
  ...tagInputFields,
});
export type IngressGatewayRouteTableUpdate = z.infer<typeof IngressGatewayRouteTableUpdateSchema>;

export const IngressGatewayRouteTableSchema = z.object({
  ...resourceReadFields,
  ingressGatewayId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  priority: z.number().optional(),
  routeRules: z.array(IngressGatewayRouteRuleSchema),
});
export type IngressGatewayRouteTable = z.infer<typeof IngressGatewayRouteTableSchema>;
