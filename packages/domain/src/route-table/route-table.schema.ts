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
import { PrioritySchema, VirtualServiceRouteRuleSchema } from '../routing/route-rule.schema.ts';

const rules = z
  .array(VirtualServiceRouteRuleSchema, REQUIRED)
  .max(200, { error: 'at most 200 rules' });

export const VirtualServiceRouteTableCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
  virtualServiceId: OcidSchema,
  name: NameSchema,
  description: DescriptionSchema.optional(),
  priority: PrioritySchema.optional(),
  routeRules: rules,
  ...tagInputFields,
});
export type VirtualServiceRouteTableCreate = z.infer<typeof VirtualServiceRouteTableCreateSchema>;

export const VirtualServiceRouteTableUpdateSchema = z.strictObject({
  description: DescriptionSchema.optional(),
  priority: PrioritySchema.optional(),
  routeRules: rules.optional(),
  ...tagInputFields,
});
export type VirtualServiceRouteTableUpdate = z.infer<typeof VirtualServiceRouteTableUpdateSchema>;

export const VirtualServiceRouteTableSchema = z.object({
  ...resourceReadFields,
  virtualServiceId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  priority: z.number().optional(),
  routeRules: z.array(VirtualServiceRouteRuleSchema),
});
export type VirtualServiceRouteTable = z.infer<typeof VirtualServiceRouteTableSchema>;
