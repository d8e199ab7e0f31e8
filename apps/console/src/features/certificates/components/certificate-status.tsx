import type { CertificateAlert } from '@meshdeck/domain';
import { Alert } from '../../../components/ui/alert.tsx';
import type { CertificateView } from '@meshdeck/domain';

const STATUS_CLASS: Record<CertificateView['status'], string> = {
  ACTIVE: 'lifecycle lifecycle--active',
  FAILED: 'lifecycle lifecycle--failed',
  PENDING: 'lifecycle',
  RETIRED: 'lifecycle',
  EXTERNAL: 'lifecycle',
};

const STATUS_LABEL: Record<CertificateView['status'], string> = {
  ACTIVE: 'valid',
  FAILED: 'renewal failed',
  PENDING: 'issuing',
  RETIRED: 'retired',
  EXTERNAL: 'external CA',
};

export function CertificateStatusBadge({ status }: { status: CertificateView['status'] }) {
  return <span className={STATUS_CLASS[status]}>{STATUS_LABEL[status]}</span>;
}

/** One alert box per certificate alert (expiring, renewal failed, CA expiring, …). */
export function CertificateAlerts({ alerts }: { alerts: CertificateAlert[] }) {
  return (
    <>
      {alerts.map((a) => (
        <Alert key={a.code} tone={a.severity === 'error' ? 'error' : 'warning'}>
          {a.message}
        </Alert>
      ))}
    </>
  );
}
