import type { ImportPlan, PlanImportOptions } from './import-plan.ts';
import { isOciJsonExport, planOciJson, planOciJsonValue } from './oci-json.ts';
import { planOperatorYaml } from './operator-yaml.ts';
import { isRecord } from './plan-builder.ts';

export {
  MANAGED_CA,
  OCI_JSON_FORMAT,
  RESOURCE_KINDS,
  UnresolvedReferenceError,
  planItemDependencies,
  resolvePlanBody,
  usesManagedCa,
} from './import-plan.ts';
export type {
  BodyPath,
  CreateBodies,
  ExistingResource,
  ExistingResources,
  ImportFlagCode,
  ImportFormat,
  ImportPlan,
  PlanFlag,
  PlanImportOptions,
  PlanItem,
  PlanRef,
  PlanRejected,
  PlanResolution,
  PlanSkipped,
  ReferenceKind,
  ResolutionVia,
  ResourceKind,
} from './import-plan.ts';

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);
/** Types a browser or curl sends for a file it cannot name: the content decides. */
const SNIFFED_TYPES = new Set(['', 'text/plain', 'application/octet-stream']);

/** Terraform blocks (`resource "oci_service_mesh_mesh" "x" {`, `variable "y" {`, `locals {`). */
const HCL_BLOCK =
  /^[ \t]*(?:(?:resource|data|variable|provider|module|output)[ \t]+"[^"\n]*"(?:[ \t]+"[^"\n]*")?|locals|terraform)[ \t]*\{/m;

export const TERRAFORM_NOT_SUPPORTED =
  'Terraform HCL is not supported: use operator YAML or OCI JSON';

/**
 * Turns an uploaded file into an ordered list of creates, without touching any store: operator
 * YAML (`application/yaml`, `text/yaml`) or a Meshdeck OCI JSON export (`application/json`);
 * `text/plain`, `application/octet-stream` or no type are sniffed. Every problem is reported
 * at once in `rejected`; any rejection means the applier must create nothing.
 */
export function planImport(
  text: string,
  contentType: string,
  options: PlanImportOptions = {},
): ImportPlan {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (HCL_BLOCK.test(text)) return fileRejected(TERRAFORM_NOT_SUPPORTED);
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    return planOciJson(text, options);
  }
  if (!YAML_TYPES.has(mediaType) && !SNIFFED_TYPES.has(mediaType)) {
    return fileRejected(
      `unsupported content type ${mediaType}: send operator YAML as application/yaml` +
        ' or an OCI JSON export as application/json',
    );
  }
  if (text.trimStart().startsWith('{')) {
    // JSON is also YAML: an export (or anything with a `format`) sent as YAML or plain text is
    // planned as OCI JSON; other JSON, e.g. a Kubernetes manifest, goes on as operator YAML.
    const json = tryParseJson(text);
    if (isOciJsonExport(json) || (isRecord(json) && 'format' in json)) {
      return planOciJsonValue(json, options);
    }
  }
  return planOperatorYaml(text, options);
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function fileRejected(reason: string): ImportPlan {
  return {
    items: [],
    skipped: [],
    rejected: [{ kind: 'File', name: '', reasons: [reason] }],
    flagged: [],
    resolved: [],
  };
}
