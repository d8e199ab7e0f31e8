import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/ui/form-field.tsx';
import { errorMessage } from '../../../lib/api-error.ts';
import { CONTENT_TYPES, detectFormat, type ImportRequest } from '../api/import.api.ts';

export const DEFAULT_COMPARTMENT_ID = 'ocid1.compartment.oc1..meshdeckdemo';

type FormatChoice = 'auto' | 'yaml' | 'json';

export function ImportForm({
  onSubmit,
  isPending,
  error,
}: {
  onSubmit: (input: ImportRequest) => void;
  isPending: boolean;
  error: unknown;
}) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | undefined>();
  const [format, setFormat] = useState<FormatChoice>('auto');
  const [compartmentId, setCompartmentId] = useState(DEFAULT_COMPARTMENT_ID);
  const [certificateAuthorityId, setCertificateAuthorityId] = useState('');
  const [errors, setErrors] = useState<{ text?: string; compartmentId?: string }>({});

  const detected = detectFormat(text);
  const effective = format === 'auto' ? detected : format;

  async function readFile(file: File | undefined) {
    if (!file) return;
    setText(await file.text());
    setFileName(file.name);
    setErrors((e) => ({ ...e, text: undefined }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = {
      ...(text.trim() === '' ? { text: 'paste a configuration or upload a file' } : {}),
      ...(compartmentId.trim() === '' ? { compartmentId: 'required' } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    onSubmit({
      text,
      format: effective,
      compartmentId: compartmentId.trim(),
      certificateAuthorityId: certificateAuthorityId.trim(),
    });
  }

  return (
    <form className="form" aria-label="Import configuration" noValidate onSubmit={submit}>
      {error ? <Alert title="The import failed">{errorMessage(error)}</Alert> : null}
      <TextAreaField
        label="Configuration (YAML or JSON)"
        rows={14}
        spellCheck={false}
        className="field--code"
        placeholder={'apiVersion: servicemesh.oci.oracle.com/v1beta1\nkind: Mesh\n…'}
        hint={
          fileName
            ? `Loaded from ${fileName}. You can edit it before importing.`
            : 'OCI Service Operator manifests (several documents separated by ---) or an OCI JSON export.'
        }
        error={errors.text}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="form__grid">
        <TextField
          label="Upload file"
          type="file"
          accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
          onChange={(e) => void readFile(e.target.files?.[0])}
        />
        <SelectField
          label="Format"
          value={format}
          onChange={(e) => setFormat(e.target.value as FormatChoice)}
          hint={`Sent as ${CONTENT_TYPES[effective]}.`}
        >
          <option value="auto">Detect automatically ({detected.toUpperCase()})</option>
          <option value="yaml">YAML</option>
          <option value="json">JSON</option>
        </SelectField>
      </div>
      <div className="form__grid">
        <TextField
          label="Target compartment OCID"
          autoComplete="off"
          error={errors.compartmentId}
          value={compartmentId}
          onChange={(e) => setCompartmentId(e.target.value)}
        />
        <TextField
          label="Certificate authority OCID (optional)"
          autoComplete="off"
          hint="For the imported meshes; leave empty to let Meshdeck choose."
          value={certificateAuthorityId}
          onChange={(e) => setCertificateAuthorityId(e.target.value)}
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Importing…' : 'Import'}
        </button>
      </div>
    </form>
  );
}
