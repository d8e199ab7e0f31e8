import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../../../test/fetch-stub.ts';
import { renderRoutes } from '../../../test/render.tsx';
import { WorkRequestsPanel } from './work-requests-panel.tsx';

afterEach(() => vi.unstubAllGlobals());

describe('WorkRequestsPanel', () => {
  it('lists a resource’s work requests with their status, log and errors', async () => {
    const calls = stubFetch({
      'GET /api/work-requests': () => ({
        body: {
          items: [
            {
              id: 'wr2',
              operationType: 'UPDATE_VIRTUAL_SERVICE',
              status: 'FAILED',
              percentComplete: 50,
              timeAccepted: '2025-03-01T00:01:00.000Z',
              timeFinished: '2025-03-01T00:01:02.000Z',
              logs: [{ message: 'applying mTLS STRICT', timestamp: '2025-03-01T00:01:01.000Z' }],
              errors: [
                {
                  code: 'CA_EXPIRED',
                  message: 'mesh CA expired on 2025-06-30',
                  timestamp: '2025-03-01T00:01:02.000Z',
                },
              ],
            },
            {
              id: 'wr1',
              operationType: 'CREATE_VIRTUAL_SERVICE',
              status: 'SUCCEEDED',
              percentComplete: 100,
              timeAccepted: '2025-03-01T00:00:00.000Z',
              timeFinished: '2025-03-01T00:00:01.000Z',
              logs: [],
              errors: [],
            },
          ],
        },
      }),
    });
    renderRoutes([{ path: '/', element: <WorkRequestsPanel resourceId="vs1" /> }], '/');

    const panel = await screen.findByRole('region', { name: 'Work requests' });
    expect(await within(panel).findByText('UPDATE_VIRTUAL_SERVICE')).toBeInTheDocument();
    expect(within(panel).getByText('FAILED')).toBeInTheDocument();
    expect(within(panel).getByText('SUCCEEDED')).toBeInTheDocument();
    expect(
      within(panel).getByRole('list', { name: 'Errors of UPDATE_VIRTUAL_SERVICE' }),
    ).toHaveTextContent('mesh CA expired on 2025-06-30');
    expect(calls[0]?.search).toBe('?resourceId=vs1');
  });

  it('says when there are none', async () => {
    stubFetch({ 'GET /api/work-requests': () => ({ body: { items: [] } }) });
    renderRoutes([{ path: '/', element: <WorkRequestsPanel resourceId="vs1" /> }], '/');
    expect(await screen.findByText('No work requests yet.')).toBeInTheDocument();
  });
});
