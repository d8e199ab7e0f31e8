import { Link, Navigate, useParams, useRouteError, type RouteObject } from 'react-router';
import { ErrorState } from '../components/ui/error-state.tsx';
import { AppLayout, PageHeader } from '../components/ui/layout.tsx';
import { LoadingState } from '../components/ui/loading-state.tsx';
import { SessionGate } from '../features/auth/components/session-gate.tsx';
import { UserMenu } from '../features/auth/components/user-menu.tsx';
import { SetupPage, SignInPage } from '../features/auth/pages/sign-in-page.tsx';
import { RecentChangesPanel } from '../features/audit/components/recent-changes-panel.tsx';
import { CertificatePanel } from '../features/certificates/components/certificate-panel.tsx';
import { DemoClockControl } from '../features/certificates/components/demo-clock-control.tsx';
import { MeshCertificatesPage } from '../features/certificates/pages/mesh-certificates-page.tsx';
import { AccessPolicyDetailPage } from '../features/access-policies/pages/access-policy-detail-page.tsx';
import { MeshAccessPoliciesPage } from '../features/access-policies/pages/mesh-access-policies-page.tsx';
import { ExportMenu } from '../features/export/components/export-menu.tsx';
import { IngressRouteTableDetailPage } from '../features/ingress-gateway-route-tables/pages/ingress-route-table-detail-page.tsx';
import { IngressGatewayDetailPage } from '../features/ingress-gateways/pages/ingress-gateway-detail-page.tsx';
import { MeshIngressGatewaysPage } from '../features/ingress-gateways/pages/mesh-ingress-gateways-page.tsx';
import { MeshListPage } from '../features/meshes/pages/mesh-list-page.tsx';
import { MeshPage } from '../features/meshes/pages/mesh-page.tsx';
import { RouteTableDetailPage } from '../features/route-tables/pages/route-table-detail-page.tsx';
import { RouteTableListPage } from '../features/route-tables/pages/route-table-list-page.tsx';
import { VirtualDeploymentDetailPage } from '../features/virtual-deployments/pages/virtual-deployment-detail-page.tsx';
import { VirtualDeploymentListPage } from '../features/virtual-deployments/pages/virtual-deployment-list-page.tsx';
import { MeshIngressRouteTablesSection } from '../features/meshes/pages/mesh-resource-pages.tsx';
import { MeshWorkRequestsPage } from '../features/work-requests/pages/mesh-work-requests-page.tsx';
import { WorkRequestsPanel } from '../features/work-requests/components/work-requests-panel.tsx';
import { VirtualServiceDetailPage } from '../features/virtual-services/pages/virtual-service-detail-page.tsx';
import { VirtualServiceListPage } from '../features/virtual-services/pages/virtual-service-list-page.tsx';

function RouteError() {
  const error = useRouteError();
  return (
    <AppLayout>
      <ErrorState error={error} onRetry={() => window.location.reload()} />
    </AppLayout>
  );
}

function NotFoundPage() {
  return (
    <PageHeader title="Page not found">
      <p>
        <Link to="/meshes">Go to meshes</Link>
      </p>
    </PageHeader>
  );
}

/** The mesh's Work requests tab also shows who changed the mesh lately (the audit). */
function MeshChangesTab() {
  const meshId = useParams().meshId ?? '';
  return (
    <>
      <MeshWorkRequestsPage />
      <div className="tab-panel">
        <RecentChangesPanel meshId={meshId} />
      </div>
    </>
  );
}

async function lazyNewPage() {
  const { VirtualServiceNewPage } =
    await import('../features/virtual-services/pages/virtual-service-new-page.tsx');
  return { Component: VirtualServiceNewPage };
}

/**
 * Every screen is a URL that survives a reload (the BFF serves index.html for unknown GETs).
 * Features never import each other; this file puts them together, e.g. the topology and the
 * virtual-service list as tabs of the mesh page. Heavy screens load lazily.
 */
export const routes: RouteObject[] = [
  // Signed out: sign-in and the one-time first-run setup (features/auth).
  { path: 'sign-in', element: <SignInPage />, errorElement: <RouteError /> },
  { path: 'setup', element: <SetupPage />, errorElement: <RouteError /> },
  {
    element: (
      <SessionGate>
        <AppLayout headerExtra={<DemoClockControl />} userMenu={<UserMenu />} />
      </SessionGate>
    ),
    errorElement: <RouteError />,
    // Shown while a lazy route of the first URL loads (deep link to the topology or import).
    hydrateFallbackElement: <LoadingState />,
    children: [
      { index: true, element: <Navigate to="/meshes" replace /> },
      { path: 'meshes', element: <MeshListPage /> },
      { path: 'meshes/:meshId/services/new', lazy: lazyNewPage },
      {
        path: 'meshes/:meshId',
        element: <MeshPage actions={<ExportMenu />} />,
        children: [
          { index: true, element: <Navigate to="services" replace /> },
          { path: 'services', element: <VirtualServiceListPage /> },
          { path: 'deployments', element: <VirtualDeploymentListPage /> },
          { path: 'gateways', element: <MeshIngressGatewaysPage /> },
          {
            path: 'route-tables',
            element: <RouteTableListPage ingressSection={<MeshIngressRouteTablesSection />} />,
          },
          { path: 'policies', element: <MeshAccessPoliciesPage /> },
          { path: 'certificates', element: <MeshCertificatesPage /> },
          { path: 'work-requests', element: <MeshChangesTab /> },
          {
            path: 'mtls',
            lazy: async () => {
              const { MeshMtlsPage } =
                await import('../features/mtls-migrations/pages/mesh-mtls-page.tsx');
              return { Component: MeshMtlsPage };
            },
          },
          {
            path: 'topology',
            lazy: async () => {
              const { TopologyPage } = await import('../features/topology/pages/topology-page.tsx');
              return { Component: TopologyPage };
            },
          },
          {
            path: 'reachability',
            lazy: async () => {
              const { ReachabilityPage } =
                await import('../features/topology/pages/reachability-page.tsx');
              return { Component: ReachabilityPage };
            },
          },
        ],
      },
      {
        path: 'meshes/new',
        lazy: async () => {
          const { MeshNewPage } = await import('../features/meshes/pages/mesh-new-page.tsx');
          return { Component: MeshNewPage };
        },
      },
      {
        path: 'meshes/:meshId/edit',
        lazy: async () => {
          const { MeshEditPage } = await import('../features/meshes/pages/mesh-edit-page.tsx');
          return { Component: MeshEditPage };
        },
      },
      {
        path: 'meshes/:meshId/deployments/new',
        lazy: async () => {
          const { VirtualDeploymentNewPage } =
            await import('../features/virtual-deployments/pages/virtual-deployment-new-page.tsx');
          return { Component: VirtualDeploymentNewPage };
        },
      },
      {
        path: 'virtual-deployments/:id',
        element: (
          <VirtualDeploymentDetailPage
            workRequestsPanel={(resourceId) => <WorkRequestsPanel resourceId={resourceId} />}
          />
        ),
      },
      {
        path: 'virtual-deployments/:id/edit',
        lazy: async () => {
          const { VirtualDeploymentEditPage } =
            await import('../features/virtual-deployments/pages/virtual-deployment-edit-page.tsx');
          return { Component: VirtualDeploymentEditPage };
        },
      },
      {
        path: 'meshes/:meshId/route-tables/new',
        lazy: async () => {
          const { RouteTableNewPage } =
            await import('../features/route-tables/pages/route-table-new-page.tsx');
          return { Component: RouteTableNewPage };
        },
      },
      {
        path: 'virtual-service-route-tables/:id',
        element: (
          <RouteTableDetailPage
            workRequestsPanel={(resourceId) => <WorkRequestsPanel resourceId={resourceId} />}
          />
        ),
      },
      {
        path: 'virtual-service-route-tables/:id/edit',
        lazy: async () => {
          const { RouteTableEditPage } =
            await import('../features/route-tables/pages/route-table-edit-page.tsx');
          return { Component: RouteTableEditPage };
        },
      },
      { path: 'virtual-services/new', lazy: lazyNewPage },
      {
        path: 'meshes/:meshId/policies/new',
        lazy: async () => {
          const { AccessPolicyNewPage } =
            await import('../features/access-policies/pages/access-policy-new-page.tsx');
          return { Component: AccessPolicyNewPage };
        },
      },
      {
        path: 'meshes/:meshId/gateways/new',
        lazy: async () => {
          const { IngressGatewayNewPage } =
            await import('../features/ingress-gateways/pages/ingress-gateway-new-page.tsx');
          return { Component: IngressGatewayNewPage };
        },
      },
      {
        path: 'ingress-gateways/:id',
        element: (
          <IngressGatewayDetailPage
            certificatePanel={(certificateId) => <CertificatePanel certificateId={certificateId} />}
            workRequestsPanel={(resourceId) => <WorkRequestsPanel resourceId={resourceId} />}
          />
        ),
      },
      {
        path: 'ingress-gateways/:id/edit',
        lazy: async () => {
          const { IngressGatewayEditPage } =
            await import('../features/ingress-gateways/pages/ingress-gateway-edit-page.tsx');
          return { Component: IngressGatewayEditPage };
        },
      },
      {
        path: 'ingress-gateways/:gatewayId/route-tables/new',
        lazy: async () => {
          const { IngressRouteTableNewPage } =
            await import('../features/ingress-gateway-route-tables/pages/ingress-route-table-new-page.tsx');
          return { Component: IngressRouteTableNewPage };
        },
      },
      {
        path: 'ingress-gateway-route-tables/:id',
        element: (
          <IngressRouteTableDetailPage
            workRequestsPanel={(resourceId) => <WorkRequestsPanel resourceId={resourceId} />}
          />
        ),
      },
      {
        path: 'ingress-gateway-route-tables/:id/edit',
        lazy: async () => {
          const { IngressRouteTableEditPage } =
            await import('../features/ingress-gateway-route-tables/pages/ingress-route-table-edit-page.tsx');
          return { Component: IngressRouteTableEditPage };
        },
      },
      {
        path: 'access-policies/:id',
        element: (
          <AccessPolicyDetailPage
            workRequestsPanel={(resourceId) => <WorkRequestsPanel resourceId={resourceId} />}
          />
        ),
      },
      {
        path: 'access-policies/:id/edit',
        lazy: async () => {
          const { AccessPolicyEditPage } =
            await import('../features/access-policies/pages/access-policy-edit-page.tsx');
          return { Component: AccessPolicyEditPage };
        },
      },
      {
        path: 'virtual-services/:id',
        element: (
          <VirtualServiceDetailPage
            certificatePanel={(certificateId) => <CertificatePanel certificateId={certificateId} />}
            workRequestsPanel={(resourceId) => <WorkRequestsPanel resourceId={resourceId} />}
          />
        ),
      },
      {
        path: 'virtual-services/:id/edit',
        lazy: async () => {
          const { VirtualServiceEditPage } =
            await import('../features/virtual-services/pages/virtual-service-edit-page.tsx');
          return { Component: VirtualServiceEditPage };
        },
      },
      {
        path: 'import',
        lazy: async () => {
          const { ImportPage } = await import('../features/import/pages/import-page.tsx');
          return { Component: ImportPage };
        },
      },
      {
        path: 'audit',
        lazy: async () => {
          const { AuditPage } = await import('../features/audit/pages/audit-page.tsx');
          return { Component: AuditPage };
        },
      },
      {
        path: 'users',
        lazy: async () => {
          const { UsersPage } = await import('../features/auth/pages/users-page.tsx');
          return { Component: UsersPage };
        },
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
