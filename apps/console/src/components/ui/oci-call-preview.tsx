import { useState } from 'react';
import { formatOciCall, type OciCall } from '../../lib/oci-call.ts';

/**
 * A disclosure with the OCI Service Mesh API call a form is equivalent to (method, `/20220615`
 * path, JSON body), and a button that copies it.
 */
export function OciCallPreview({ method, path, body }: OciCall) {
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  const text = formatOciCall({ method, path, body });
  return (
    <details className="oci-preview">
      <summary>Equivalent OCI API call</summary>
      <div className="oci-preview__head">
        <code>
          {method} {path}
        </code>
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            navigator.clipboard
              .writeText(text)
              .then(() => setCopied('yes'))
              .catch(() => setCopied('no'));
          }}
        >
          Copy
        </button>
        <span role="status" className="field__hint">
          {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Copy failed: select the text' : ''}
        </span>
      </div>
      {body !== undefined ? (
        <pre className="oci-preview__body" tabIndex={0} aria-label="Request body">
          {JSON.stringify(body, null, 2)}
        </pre>
      ) : null}
    </details>
  );
}
