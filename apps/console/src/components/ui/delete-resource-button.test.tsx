import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { stubFetch } from '../../test/fetch-stub.ts';
import { renderRoutes } from '../../test/render.tsx';
import { DeleteResourceButton } from './delete-resource-button.tsx';

describe('DeleteResourceButton', () => {
  it('names the dependants and keeps Delete disabled while there are any', async () => {
    const calls = stubFetch({
      'GET /api/virtual-deployments/vd2/dependants': () => ({
        body: { items: [{ kind: 'VirtualServiceRouteTable', id: 'rt1', name: 'reviews-rt' }] },
      }),
    });
    const { user } = renderRoutes(
      [
        {
          path: '/',
          element: (
            <DeleteResourceButton
              kind="VirtualDeployment"
              id="vd2"
              name="reviews-v2"
              etag="e1"
              onDeleted={() => undefined}
            />
          ),
        },
      ],
      '/',
    );
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete virtual deployment reviews-v2?' });
    expect(
      await within(dialog).findByRole('list', { name: 'Affected resources' }),
    ).toHaveTextContent('virtual service route table reviews-rt');
    expect(within(dialog).getByRole('button', { name: 'Delete' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);
  });

  it('deletes the version on screen (if-match) when nothing depends on it', async () => {
    let deleted = false;
    const calls = stubFetch({
      'GET /api/virtual-deployments/vd1/dependants': () => ({ body: { items: [] } }),
      'DELETE /api/virtual-deployments/vd1': () => ({ status: 204 }),
    });
    const { user } = renderRoutes(
      [
        {
          path: '/',
          element: (
            <DeleteResourceButton
              kind="VirtualDeployment"
              id="vd1"
              name="reviews-v1"
              etag="e7"
              onDeleted={() => {
                deleted = true;
              }}
            />
          ),
        },
      ],
      '/',
    );
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete virtual deployment reviews-v1?' });
    expect(await within(dialog).findByText(/Nothing else uses it/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await screen.findByRole('button', { name: 'Delete' });
    await expect.poll(() => deleted).toBe(true);
    const del = calls.find((c) => c.method === 'DELETE');
    expect(del?.headers['if-match']).toBe('e7');
  });
});
