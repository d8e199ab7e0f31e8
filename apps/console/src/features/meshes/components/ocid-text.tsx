import { useEffect, useState } from 'react';
import { ocidTail } from '../../../lib/ocid.ts';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API outside secure contexts (plain http on another host): select and copy.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/**
 * An OCID shown by its distinctive end ("…meshdeckdemo"): cutting it after its first characters
 * makes every compartment read `ocid1.compartment.oc…`. The full OCID is in the tooltip, in the
 * copy button's name, and on the clipboard after a click.
 */
export function OcidText({ ocid, what }: { ocid: string; what: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <span className="ocid-text">
      <span className="mono" title={ocid}>
        {ocidTail(ocid)}
      </span>{' '}
      <button
        type="button"
        className="button button--ghost button--small"
        title={`Copy ${ocid}`}
        aria-label={`Copy ${what} ${ocid}`}
        onClick={() => void copyText(ocid).then(setCopied)}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
