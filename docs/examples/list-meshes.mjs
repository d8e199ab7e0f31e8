// Lists the meshes of a compartment, with their virtual services, through the official OCI SDK
// pointed at Meshdeck (docs/api.md). Run from the repository root after `npm start` and
// `npm run apikey -- create --user alice --out ~/.oci`:
//
//   OCI_CONFIG_FILE=~/.oci/meshdeck-alice.config node docs/examples/list-meshes.mjs
//
// Environment: OCI_CONFIG_FILE (default ~/.oci/config), OCI_CONFIG_PROFILE (default DEFAULT),
// MESHDECK_ENDPOINT (default http://localhost:8080), COMPARTMENT_ID (default: the demo's).
import { homedir } from 'node:os';
import common from 'oci-common';
import servicemesh from 'oci-servicemesh';

const configFile = (process.env.OCI_CONFIG_FILE ?? '~/.oci/config').replace(
  /^~(?=\/|$)/,
  homedir(),
);
const profile = process.env.OCI_CONFIG_PROFILE ?? 'DEFAULT';
const endpoint = process.env.MESHDECK_ENDPOINT ?? 'http://localhost:8080';
const compartmentId = process.env.COMPARTMENT_ID ?? 'ocid1.compartment.oc1..meshdeckdemo';

const provider = new common.ConfigFileAuthenticationDetailsProvider(configFile, profile);
const client = new servicemesh.ServiceMeshClient({ authenticationDetailsProvider: provider });
// After the constructor (which points the client at the profile's region): Meshdeck instead.
client.endpoint = endpoint;

try {
  let page;
  do {
    const meshes = await client.listMeshes({
      compartmentId,
      sortBy: servicemesh.requests.ListMeshesRequest.SortBy.DisplayName,
      sortOrder: servicemesh.models.SortOrder.Asc,
      limit: 50,
      ...(page ? { page } : {}),
    });
    for (const mesh of meshes.meshCollection.items) {
      console.log(
        `${mesh.displayName}  ${mesh.lifecycleState}  mTLS minimum ${mesh.mtls?.minimum}`,
      );
      const services = await client.listVirtualServices({
        compartmentId,
        meshId: mesh.id,
        sortBy: servicemesh.requests.ListVirtualServicesRequest.SortBy.Name,
        sortOrder: servicemesh.models.SortOrder.Asc,
      });
      for (const vs of services.virtualServiceCollection.items) {
        const { virtualService } = await client.getVirtualService({ virtualServiceId: vs.id });
        console.log(`  ${virtualService.name}  mTLS ${virtualService.mtls?.mode}`);
      }
    }
    page = meshes.opcNextPage;
  } while (page);
} catch (error) {
  // An OciError carries the HTTP status and Meshdeck's error code (e.g. 401 NotAuthenticated).
  console.error(`${error.statusCode ?? ''} ${error.serviceCode ?? ''} ${error.message}`.trim());
  process.exitCode = 1;
} finally {
  client.close();
}
