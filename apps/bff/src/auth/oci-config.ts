/**
 * The region written into generated OCI config files. The SDK's config-file provider refuses a
 * profile without one; any known region works, since clients point `client.endpoint` at Meshdeck
 * (which overrides the regional endpoint, spec §9.3).
 */
export const CONFIG_REGION = 'us-ashburn-1';

export interface ConfigSnippetInput {
  profile?: string;
  userId: string;
  tenancyId: string;
  fingerprint: string;
  /** Where the private key PEM is (as the client machine sees it). */
  keyFile: string;
}

/** An `~/.oci/config` profile for this key, as `ConfigFileAuthenticationDetailsProvider` reads it. */
export function ociConfigSnippet(input: ConfigSnippetInput): string {
  return [
    `[${input.profile ?? 'DEFAULT'}]`,
    `user=${input.userId}`,
    `fingerprint=${input.fingerprint}`,
    `tenancy=${input.tenancyId}`,
    `region=${CONFIG_REGION}`,
    `key_file=${input.keyFile}`,
    '',
  ].join('\n');
}
