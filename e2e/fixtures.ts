import { test as base, expect, type APIRequestContext } from '@playwright/test';
import type { MtlsMode } from '@meshdeck/domain';
import { csrfTokenForState } from './auth-files.ts';

export const COMPARTMENT = 'ocid1.compartment.oc1..e2e';

export interface SeededMesh {
  id: string;
  name: string;
}

/**
 * Seeds meshes and virtual services through the BFF's OCI API (never through the UI under test)
 * and deletes them after the test.
 */
class Seeder {
  private readonly created: { path: string; id: string }[] = [];

  constructor(private readonly request: APIRequestContext) {}

  /** OCI writes finish in a job (CREATING → ACTIVE, DELETING → DELETED): wait as the SDK would. */
  private async waitFor(path: string, id: string, state: 'ACTIVE' | 'DELETED'): Promise<void> {
    await expect
      .poll(
        async () => {
          const read = await this.request.get(`/20220615/${path}/${encodeURIComponent(id)}`);
          // A purged resource (after the retention period) counts as DELETED.
          if (read.status() === 404) return 'DELETED';
          return ((await read.json()) as { lifecycleState: string }).lifecycleState;
        },
        { timeout: 15_000 },
      )
      .toBe(state);
  }

  async mesh(displayName: string, minimum: MtlsMode): Promise<SeededMesh> {
    const res = await this.request.post('/20220615/meshes', {
      data: {
        compartmentId: COMPARTMENT,
        displayName,
        certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..e2e' }],
        mtls: { minimum },
      },
    });
    expect(res.status(), await res.text()).toBe(200);
    const mesh = (await res.json()) as { id: string };
    this.created.push({ path: 'meshes', id: mesh.id });
    await this.waitFor('meshes', mesh.id, 'ACTIVE');
    return { id: mesh.id, name: displayName };
  }

  async virtualService(mesh: SeededMesh, name: string, mode?: MtlsMode): Promise<string> {
    const res = await this.request.post('/20220615/virtualServices', {
      data: {
        compartmentId: COMPARTMENT,
        meshId: mesh.id,
        name,
        hosts: [`${name}.e2e.svc`],
        ...(mode ? { mtls: { mode } } : {}),
      },
    });
    expect(res.status(), await res.text()).toBe(200);
    const vs = (await res.json()) as { id: string };
    this.created.push({ path: 'virtualServices', id: vs.id });
    await this.waitFor('virtualServices', vs.id, 'ACTIVE');
    return vs.id;
  }

  /** Records a resource the test created through the UI, so it is deleted afterwards. */
  track(path: string, id: string) {
    this.created.push({ path, id });
  }

  async cleanup() {
    for (const { path, id } of [...this.created].reverse()) {
      const res = await this.request.delete(`/20220615/${path}/${encodeURIComponent(id)}`);
      // Children must be DELETED before their parent can go.
      if (res.status() === 202) await this.waitFor(path, id, 'DELETED');
    }
  }
}

export const test = base.extend<{ seed: Seeder }>({
  // The saved session's CSRF token on every request, so `request.post('/api/...')` writes as the
  // signed-in user (e2e/global-setup.ts).
  extraHTTPHeaders: async ({ storageState }, use) => {
    const token = csrfTokenForState(storageState);
    await use(token ? { 'x-csrf-token': token } : {});
  },
  seed: async ({ request }, use) => {
    const seeder = new Seeder(request);
    await use(seeder);
    await seeder.cleanup();
  },
});

export { expect };
