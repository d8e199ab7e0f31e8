import type {
  AccessPolicy,
  Finding,
  IngressGateway,
  IngressGatewayRouteTable,
  LifecycleState,
  Mesh,
  MtlsMode,
  VirtualDeployment,
  VirtualService,
  VirtualServiceRouteTable,
} from '../index.ts';

/**
 * The console's `/api` views, as `docs/console-api.md` defines them: the BFF builds them
 * (apps/bff/src/console-api/views.ts) and the console reads them, both with these types. They are aggregates of the
 * domain's read models; the resources inside are the domain types.
 */
export interface MtlsView {
  declared: MtlsMode | null;
  effective: MtlsMode;
  inherited: boolean;
  /** `modeLabel(declared, minimum)`, e.g. "PERMISSIVE · inherited from mesh". */
  label: string;
  lastChangedAt: string | null;
}

export type VirtualServiceView = VirtualService & { mtlsView: MtlsView };

export type VirtualServiceDetailView = VirtualServiceView & { meshMinimum: MtlsMode };

export interface ResourceCounts {
  virtualServices: number;
  virtualDeployments: number;
  virtualServiceRouteTables: number;
  ingressGateways: number;
  ingressGatewayRouteTables: number;
  accessPolicies: number;
}

export interface MeshSummary {
  id: string;
  displayName: string;
  description?: string;
  compartmentId: string;
  lifecycleState: LifecycleState;
  timeCreated: string;
  minimum: MtlsMode;
  minimumChangedAt: string | null;
  certificateAuthority: { id: string; external: boolean };
  counts: ResourceCounts;
  modeCounts: Record<MtlsMode | 'inherited', number>;
  /** CA expiry and its warning, certificate counts, next renewal (docs/console-api.md). */
  certificates?: MeshCertificateStatus;
}

export interface MeshCertificateStatus {
  authority: {
    id: string;
    status: 'PENDING' | 'ACTIVE' | 'EXTERNAL' | 'UNKNOWN';
    notBefore: string | null;
    notAfter: string | null;
    expired: boolean;
    /** E.g. "CA expires 2025-06-30; new leaf certificates will be capped" (case E9). */
    warning: string | null;
  };
  counts: { total: number; active: number; pending: number; failed: number; external: number };
  nextRenewalAt: string | null;
}

export type MeshFinding = Finding & { resourceId: string; resourceName: string };

export interface MeshDetail {
  mesh: Mesh;
  summary: MeshSummary;
  virtualServices: VirtualServiceView[];
  virtualDeployments: VirtualDeployment[];
  virtualServiceRouteTables: VirtualServiceRouteTable[];
  ingressGateways: IngressGateway[];
  ingressGatewayRouteTables: IngressGatewayRouteTable[];
  accessPolicies: AccessPolicy[];
  findings: MeshFinding[];
}
