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
import { MaximumValiditySchema } from '../virtual-service/virtual-service.schema.ts';

/**
 * A certificate, CA bundle or secret reference. The SDK types it optional, but a TLS listener
 * with an empty reference has no certificate at all, so a blank one is refused like a missing one.
 */
function referenceText(field: string) {
  return z
    .string({ error: `${field} is required` })
    .max(255, { error: `${field} must be at most 255 characters` })
    .refine((v) => v.trim().length > 0, { error: `${field} must not be empty` });
}

/** TlsCertificate, polymorphic on `type`. */
export const TlsCertificateSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('OCI_CERTIFICATES'),
      certificateId: referenceText('certificateId'),
    }),
    z.strictObject({ type: z.literal('LOCAL_FILE'), secretName: referenceText('secretName') }),
  ],
  { error: 'type must be OCI_CERTIFICATES or LOCAL_FILE' },
);
export type TlsCertificate = z.infer<typeof TlsCertificateSchema>;

/** CaBundle, polymorphic on `type`. */
export const CaBundleSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('OCI_CERTIFICATES'),
      caBundleId: referenceText('caBundleId'),
    }),
    z.strictObject({ type: z.literal('LOCAL_FILE'), secretName: referenceText('secretName') }),
  ],
  { error: 'type must be OCI_CERTIFICATES or LOCAL_FILE' },
);
export type CaBundle = z.infer<typeof CaBundleSchema>;

export const LISTENER_TLS_MODES = ['DISABLED', 'PERMISSIVE', 'TLS', 'MUTUAL_TLS'] as const;
export type ListenerTlsMode = (typeof LISTENER_TLS_MODES)[number];

export const SERVER_CERTIFICATE_REQUIRED = (mode: string) =>
  `server certificate required for ${mode}`;
export const CA_BUNDLE_REQUIRED = 'trusted CA bundle required for MUTUAL_TLS';

/**
 * IngressListenerTlsConfig. The listener's own TLS mode governs traffic from outside; the mesh
 * minimum does not (case A12). TLS and MUTUAL_TLS need a server certificate; MUTUAL_TLS also a
 * trusted CA bundle.
 */
export const ListenerTlsSchema = z
  .strictObject({
    mode: z.enum(LISTENER_TLS_MODES, {
      error: 'mode must be DISABLED, PERMISSIVE, TLS or MUTUAL_TLS',
    }),
    serverCertificate: TlsCertificateSchema.optional(),
    clientValidation: z
      .strictObject({
        trustedCaBundle: CaBundleSchema.optional(),
        subjectAlternateNames: z.array(z.string()).max(10).optional(),
      })
      .optional(),
  })
  .superRefine((tls, ctx) => {
    if ((tls.mode === 'TLS' || tls.mode === 'MUTUAL_TLS') && !tls.serverCertificate) {
      ctx.addIssue({
        code: 'custom',
        path: ['serverCertificate'],
        message: SERVER_CERTIFICATE_REQUIRED(tls.mode),
      });
    }
    if (tls.mode === 'MUTUAL_TLS' && !tls.clientValidation?.trustedCaBundle) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientValidation', 'trustedCaBundle'],
        message: CA_BUNDLE_REQUIRED,
      });
    }
  });
export type ListenerTls = z.infer<typeof ListenerTlsSchema>;

export const IngressGatewayListenerSchema = z.strictObject({
  protocol: z.enum(['HTTP', 'TLS_PASSTHROUGH', 'TCP'], {
    error: 'protocol must be HTTP, TLS_PASSTHROUGH or TCP',
  }),
  port: PortSchema,
  tls: ListenerTlsSchema.optional(),
});
export type IngressGatewayListener = z.infer<typeof IngressGatewayListenerSchema>;

export const IngressGatewayHostSchema = z.strictObject({
  name: z.string(REQUIRED).min(1, { error: 'required' }).max(255),
  hostnames: z
    .array(z.string().min(1, { error: 'hostname must not be empty' }).max(255))
    .max(10, { error: 'at most 10 hostnames' })
    .optional(),
  listeners: z
    .array(IngressGatewayListenerSchema, REQUIRED)
    .min(1, { error: 'at least one listener' })
    .max(10, { error: 'at most 10 listeners' })
    .superRefine((listeners, ctx) => {
      const seen = new Set<number>();
      listeners.forEach((l, i) => {
        if (seen.has(l.port)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'port'],
            message: `port ${l.port} is used by more than one listener of this host`,
          });
        }
        seen.add(l.port);
      });
    }),
});
export type IngressGatewayHost = z.infer<typeof IngressGatewayHostSchema>;

const hosts = z
  .array(IngressGatewayHostSchema, REQUIRED)
  .min(1, { error: 'at least one host' })
  .max(5, { error: 'at most 5 hosts' })
  .refine((hs) => new Set(hs.map((h) => h.name)).size === hs.length, {
    error: 'host names must be unique within the gateway',
  });

export const IngressGatewayMtlsInputSchema = z.strictObject({
  maximumValidity: MaximumValiditySchema.optional(),
});

export const IngressGatewayCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
  meshId: OcidSchema,
  name: NameSchema,
  description: DescriptionSchema.optional(),
  hosts,
  accessLogging: AccessLoggingSchema.optional(),
  mtls: IngressGatewayMtlsInputSchema.optional(),
  ...tagInputFields,
});
export type IngressGatewayCreate = z.infer<typeof IngressGatewayCreateSchema>;

export const IngressGatewayUpdateSchema = z.strictObject({
  description: DescriptionSchema.optional(),
  hosts: hosts.optional(),
  accessLogging: AccessLoggingSchema.optional(),
  mtls: IngressGatewayMtlsInputSchema.optional(),
  ...tagInputFields,
});
export type IngressGatewayUpdate = z.infer<typeof IngressGatewayUpdateSchema>;

export const IngressGatewaySchema = z.object({
  ...resourceReadFields,
  meshId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  hosts: z.array(IngressGatewayHostSchema),
  accessLogging: z.object({ isEnabled: z.boolean().optional() }).optional(),
  mtls: z.object({ certificateId: z.string(), maximumValidity: z.number().optional() }).optional(),
});
export type IngressGateway = z.infer<typeof IngressGatewaySchema>;
