import { z } from 'zod';
import { request } from '../../../lib/api-client.ts';
import { isApiError } from '../../../lib/api-error.ts';

const item = { kind: z.string(), name: z.string(), documentIndex: z.number().optional() };

/** The import report of `docs/console-api.md`. */
export const ImportReportSchema = z.object({
  /** Absent when the file was recognised as neither format (a `File` item is then rejected). */
  format: z.string().optional(),
  compartmentId: z.string().optional(),
  created: z.array(z.object({ ...item, id: z.string() })),
  rejected: z.array(z.object({ ...item, reasons: z.array(z.string()) })),
  skipped: z.array(z.object({ ...item, reason: z.string() })),
  flagged: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      id: z.string().optional(),
      code: z.string(),
      message: z.string(),
    }),
  ),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export type ImportFormat = 'yaml' | 'json';

export const CONTENT_TYPES: Record<ImportFormat, string> = {
  yaml: 'application/yaml',
  json: 'application/json',
};

/** JSON starts with `{` or `[`; anything else is treated as YAML (operator manifests). */
export function detectFormat(text: string): ImportFormat {
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

export interface ImportRequest {
  text: string;
  format: ImportFormat;
  compartmentId: string;
  certificateAuthorityId: string;
}

export type ImportOutcome =
  | { outcome: 'imported'; report: ImportReport }
  | { outcome: 'rejected'; message: string; report: ImportReport };

/**
 * Posts the raw file. A 422 `ImportRejected` is an answer, not a failure: nothing was created and
 * the report says why, item by item.
 */
export async function importConfiguration(input: ImportRequest): Promise<ImportOutcome> {
  try {
    const body = await request<unknown>('/api/import', {
      method: 'POST',
      query: {
        compartmentId: input.compartmentId,
        certificateAuthorityId: input.certificateAuthorityId || undefined,
      },
      text: input.text,
      contentType: CONTENT_TYPES[input.format],
    });
    return { outcome: 'imported', report: ImportReportSchema.parse(body) };
  } catch (error) {
    if (isApiError(error) && error.status === 422) {
      const report = ImportReportSchema.safeParse(error.details?.['report']);
      if (report.success) {
        return { outcome: 'rejected', message: error.message, report: report.data };
      }
    }
    throw error;
  }
}
