import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../../../test/fetch-stub.ts';
import { renderRoutes } from '../../../test/render.tsx';
import type { MeshMtlsView, MigrationPlanView, MigrationView } from '@meshdeck/domain';
import { MigrationProgress } from '../components/migration-progress.tsx';
import { MeshMtlsPage } from './mesh-mtls-page.tsx';

const MESH = 'ocid1.servicemesh.oc1..retail';
const ORDERS = 'ocid1.meshvirtualservice.oc1..orders';
const LEDGER = 'ocid1.meshvirtualservice.oc1..ledger';

/** retail-mesh PERMISSIVE: orders inherits, ledger-r declares PERMISSIVE (case A6). */
function meshView(overrides: Partial<MeshMtlsView> = {}): MeshMtlsView {
  return {
    meshId: MESH,
    meshName: 'retail-mesh',
    minimum: 'PERMISSIVE',
    minimumChangedAt: null,
    services: [
      {
        id: LEDGER,
        name: 'ledger-r',
        declared: 'PERMISSIVE',
        effective: 'PERMISSIVE',
        inherited: false,
        label: 'PERMISSIVE',
        lastChangedAt: null,
      },
      {
        id: ORDERS,
        name: 'orders',
        declared: null,
        effective: 'PERMISSIVE',
        inherited: true,
        label: 'PERMISSIVE · inherited from mesh',
        lastChangedAt: null,
      },
    ],
    minimumChoices: [],
    activeMigration: null,
    // Far from the browser's clock: every wait must be timed from this.
    now: '2025-03-01T00:00:20.000Z',
    ...overrides,
  };
}

const edge = {
  edgeId: 'outside->orders',
  source: 'outside',
  target: ORDERS,
  sourceName: 'Outside the mesh',
  targetName: 'orders',
  from: 'plaintext' as const,
  to: 'refused' as const,
  reason: 'orders is STRICT: callers outside the mesh are refused',
};

const planView: MigrationPlanView = {
  target: { kind: 'virtualService', id: ORDERS, mode: 'STRICT' },
  meshId: MESH,
  meshName: 'retail-mesh',
  subject: { kind: 'virtualService', id: ORDERS, name: 'orders' },
  stages: [
    {
      stage: {
        changes: [{ kind: 'virtualService', id: ORDERS, name: 'orders', from: null, to: 'STRICT' }],
      },
      edgeChanges: [edge],
      newlyRefused: [edge],
    },
  ],
  after: { nodes: [], edges: [] } as unknown as MigrationPlanView['after'],
  propagationDelaySeconds: 30,
  minimumDurationSeconds: 0,
};

function migrationView(overrides: Partial<MigrationView> = {}): MigrationView {
  return {
    id: 'mig1',
    meshId: MESH,
    compartmentId: 'c',
    subject: planView.subject,
    target: planView.target,
    status: 'SUCCEEDED',
    rollbackOf: null,
    stageCount: 1,
    stagesDone: 1,
    currentStage: null,
    percentComplete: 100,
    nextStepAt: null,
    failure: null,
    workRequestId: 'wr1',
    jobId: 'job1',
    stages: planView.stages.map((s, index) => ({
      ...s,
      index,
      state: 'APPLIED',
      appliedAt: '2025-03-01T00:00:21.000Z',
    })),
    log: [
      {
        timestamp: '2025-03-01T00:00:21.000Z',
        level: 'LOG',
        message: 'stage 1 of 1 applied: orders inherit→STRICT',
      },
    ],
    timeCreated: '2025-03-01T00:00:21.000Z',
    timeUpdated: '2025-03-01T00:00:21.000Z',
    timeFinished: '2025-03-01T00:00:21.000Z',
    now: '2025-03-01T00:00:22.000Z',
    ...overrides,
  };
}

function renderPage() {
  return renderRoutes(
    [{ path: '/meshes/:meshId/mtls', element: <MeshMtlsPage /> }],
    `/meshes/${MESH}/mtls`,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('MeshMtlsPage', () => {
  it('offers only allowed minimum choices and says why each greyed one is greyed, timed by the server', async () => {
    stubFetch({
      [`GET /api/meshes/${MESH}/mtls`]: () => ({
        body: meshView({ minimumChangedAt: '2025-03-01T00:00:00.000Z' }),
      }),
      'GET /api/migrations': () => ({ body: { items: [] } }),
    });
    renderPage();
    const group = await screen.findByRole('radiogroup', { name: 'mTLS minimum of retail-mesh' });
    const strict = within(group).getByRole('radio', { name: 'STRICT' });
    expect(strict).toBeDisabled();
    expect(strict).toHaveAccessibleDescription(
      'cannot raise the mesh minimum to STRICT: ledger-r declares a less strict mode',
    );
    const disabled = within(group).getByRole('radio', { name: 'DISABLED' });
    expect(disabled).toBeDisabled();
    // The server says 20 s have passed since the last change: 10 s to go, whatever this clock says.
    expect(disabled).toHaveAccessibleDescription(
      'the last mTLS change is still propagating: wait 10 s',
    );
    expect(within(group).getByRole('radio', { name: 'PERMISSIVE (current)' })).toBeChecked();
    expect(screen.getByRole('button', { name: 'Change minimum to PERMISSIVE' })).toBeDisabled();
  });

  it('shows which services inherit and which declare, with a filter', async () => {
    stubFetch({
      [`GET /api/meshes/${MESH}/mtls`]: () => ({ body: meshView() }),
      'GET /api/migrations': () => ({ body: { items: [] } }),
    });
    const { user } = renderPage();
    const table = await screen.findByRole('table', {
      name: 'Services of retail-mesh by mTLS mode',
    });
    expect(within(table).getByRole('row', { name: /orders/ })).toHaveTextContent('inherits');
    expect(within(table).getByRole('row', { name: /ledger-r/ })).toHaveTextContent(
      'declares PERMISSIVE',
    );
    await user.click(screen.getByRole('radio', { name: 'Inheriting' }));
    expect(within(table).queryByRole('row', { name: /ledger-r/ })).toBeNull();
    await user.click(screen.getByRole('radio', { name: 'Declaring' }));
    expect(within(table).queryByRole('row', { name: /orders/ })).toBeNull();
  });

  it('previews a service migration before running it, then shows its progress', async () => {
    const calls = stubFetch({
      [`GET /api/meshes/${MESH}/mtls`]: () => ({ body: meshView() }),
      'GET /api/migrations': () => ({ body: { items: [] } }),
      'POST /api/migrations/plan': () => ({ body: planView }),
      'POST /api/migrations': () => ({
        status: 202,
        body: migrationView({ status: 'ACCEPTED', stagesDone: 0, percentComplete: 0 }),
      }),
      'GET /api/migrations/mig1': () => ({ body: migrationView() }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Plan migration for orders' }));
    const form = screen.getByRole('form', { name: 'Migration target' });
    expect(within(form).getByRole('radio', { name: 'A virtual service' })).toBeChecked();
    expect(within(form).getByRole('combobox', { name: 'Virtual service' })).toHaveValue(ORDERS);
    const mode = within(form).getByRole('combobox', { name: 'Target mode' });
    expect(within(mode).getByRole('option', { name: /^DISABLED/ })).toBeDisabled();
    await user.selectOptions(mode, 'STRICT');
    expect(screen.queryByRole('button', { name: 'Run migration' })).toBeNull();

    await user.click(within(form).getByRole('button', { name: 'Preview migration' }));
    const preview = await screen.findByRole('region', { name: 'Migration preview' });
    expect(within(preview).getByText('orders: inherit → STRICT')).toBeInTheDocument();
    expect(within(preview).getByRole('note')).toHaveTextContent(
      'Outside callers refused from this stage on: orders',
    );
    expect(
      within(preview).getByRole('table', { name: 'Stage 1: edges that change state' }),
    ).toHaveTextContent('Outside the mesh');

    await user.click(within(preview).getByRole('button', { name: 'Run migration' }));
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/migrations')?.body).toEqual({
      target: { kind: 'virtualService', id: ORDERS, mode: 'STRICT' },
    });
    const progress = await screen.findByRole('progressbar', {
      name: 'Migration of service orders progress',
    });
    expect(progress).toHaveAttribute('value', '100');
    expect(await screen.findByText(/Done/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Migration of service orders log' })).toHaveTextContent(
      'stage 1 of 1 applied: orders inherit→STRICT',
    );
    expect(screen.getByRole('button', { name: 'Roll back to where it started' })).toBeEnabled();
  });
});

describe('MigrationProgress', () => {
  it('counts the next stage down on the server clock, and cancels before it', async () => {
    const running = migrationView({
      status: 'IN_PROGRESS',
      stageCount: 2,
      stagesDone: 1,
      currentStage: 1,
      percentComplete: 50,
      nextStepAt: '2025-03-01T00:00:40.000Z',
      now: '2025-03-01T00:00:28.000Z',
      stages: [0, 1].map((index) => ({
        ...planView.stages[0]!,
        index,
        state: index === 0 ? 'APPLIED' : 'NEXT',
        appliedAt: index === 0 ? '2025-03-01T00:00:10.000Z' : null,
      })),
    });
    const calls = stubFetch({
      'GET /api/migrations/mig1': () => ({ body: running }),
      'POST /api/migrations/mig1/cancel': () => ({
        body: { ...running, status: 'CANCELED', currentStage: null, nextStepAt: null },
      }),
    });
    const { user } = renderRoutes(
      [{ path: '/', element: <MigrationProgress migrationId="mig1" onRolledBack={() => {}} /> }],
      '/',
    );
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Running: stage 1 of 2 applied; next stage in 12 s',
      ),
    );
    expect(
      screen.getByRole('progressbar', { name: 'Migration of service orders progress' }),
    ).toHaveAttribute('value', '50');
    await user.click(screen.getByRole('button', { name: 'Cancel migration' }));
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/migrations/mig1/cancel')).toBe(
      true,
    );
    expect(screen.getByRole('button', { name: 'Roll back to where it started' })).toBeEnabled();
  });
});
