import { useQuery } from '@tanstack/react-query';
import { Alert } from '../../../components/ui/alert.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { errorMessage } from '../../../lib/api-error.ts';
import {
  useDeleteCertificateVersion,
  useDeleteOldCertificateVersions,
  useRetryCertificate,
} from '../api/certificate-mutations.ts';
import { certificateQueries } from '../api/certificate-queries.ts';
import type { CertificateDetail, CertificateVersionView } from '@meshdeck/domain';
import { CertificateAlerts, CertificateStatusBadge } from './certificate-status.tsx';
import { Instant } from './instant.tsx';

/** The leaf certificate of a virtual service or gateway: state, schedule, versions, actions. */
export function CertificatePanel({ certificateId }: { certificateId: string }) {
  const query = useQuery(certificateQueries.detail(certificateId));
  return (
    <section className="panel" aria-labelledby="certificate-heading">
      <h2 id="certificate-heading">Certificate</h2>
      {query.isPending ? (
        <LoadingState label="Loading certificate…" />
      ) : query.isError ? (
        <ErrorState
          title="Could not load the certificate"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : (
        <CertificateBody cert={query.data} />
      )}
    </section>
  );
}

function CertificateBody({ cert }: { cert: CertificateDetail }) {
  const deleteVersion = useDeleteCertificateVersion(cert.id);
  const deleteOld = useDeleteOldCertificateVersions(cert.id);
  const retry = useRetryCertificate(cert.id);
  const busy = deleteVersion.isPending || deleteOld.isPending || retry.isPending;
  const mutationError = deleteVersion.error ?? deleteOld.error ?? retry.error;
  const oldVersions = cert.versionCount - (cert.currentVersion === null ? 0 : 1);

  return (
    <>
      <CertificateAlerts alerts={cert.alerts.filter((a) => a.code !== 'RENEWAL_FAILED')} />
      {cert.failure ? (
        <Alert title="Renewal failed">
          <p>{cert.failure.message}</p>
          {cert.currentVersion !== null ? (
            <p>Version {cert.currentVersion} stays in use until it expires.</p>
          ) : null}
          <div className="toolbar">
            {cert.failure.code === 'VERSION_LIMIT' && oldVersions > 0 ? (
              <button
                type="button"
                className="button button--danger"
                disabled={busy}
                onClick={() => {
                  if (!window.confirm(`Delete ${oldVersions} old versions of this certificate?`))
                    return;
                  deleteOld.mutate();
                }}
              >
                Delete old versions
              </button>
            ) : null}
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => retry.mutate()}
            >
              Retry renewal
            </button>
          </div>
        </Alert>
      ) : null}
      {mutationError ? (
        <Alert title="That did not work">{errorMessage(mutationError)}</Alert>
      ) : null}

      <dl className="facts">
        <dt>State</dt>
        <dd>
          <CertificateStatusBadge status={cert.status} />
        </dd>
        <dt>Current version</dt>
        <dd>{cert.currentVersion ?? <span className="muted">none yet</span>}</dd>
        <dt>Versions used</dt>
        <dd>
          {cert.versionCount} of {cert.versionLimit}
        </dd>
        <dt>Not before</dt>
        <dd>
          <Instant iso={cert.notBefore} />
        </dd>
        <dt>Not after</dt>
        <dd>
          <Instant iso={cert.notAfter} />
          {cert.cappedByCa ? <span className="muted"> (capped by the CA)</span> : null}
        </dd>
        <dt>Next renewal</dt>
        <dd>
          <Instant iso={cert.renewAt} />
        </dd>
        <dt>Lifetime</dt>
        <dd>{cert.maximumValidity} days, renewed at 2/3</dd>
        <dt>Names</dt>
        <dd className="mono">{cert.dnsNames.join(', ') || '—'}</dd>
        <dt>Issued by</dt>
        <dd>
          {cert.authority ? (
            <>
              {cert.authority.name}{' '}
              <span className="muted">
                (valid until <Instant iso={cert.authority.notAfter} />)
              </span>
            </>
          ) : (
            <span className="muted">a CA Meshdeck does not manage</span>
          )}
        </dd>
        <dt>Certificate</dt>
        <dd className="mono">{cert.id}</dd>
      </dl>

      <h3>Versions</h3>
      {cert.versions.length === 0 ? (
        <p className="muted">No version issued yet.</p>
      ) : (
        <DataTable<CertificateVersionView>
          caption="Certificate versions"
          rows={cert.versions}
          rowKey={(v) => String(v.version)}
          columns={[
            { key: 'version', header: 'Version', cell: (v) => v.version },
            { key: 'status', header: 'Status', cell: (v) => v.status.toLowerCase() },
            { key: 'notBefore', header: 'Not before', cell: (v) => <Instant iso={v.notBefore} /> },
            { key: 'notAfter', header: 'Not after', cell: (v) => <Instant iso={v.notAfter} /> },
            { key: 'renewAt', header: 'Renewal', cell: (v) => <Instant iso={v.renewAt} /> },
            {
              key: 'serial',
              header: 'Serial',
              cell: (v) => <span className="mono">{v.serialNumber}</span>,
            },
            {
              key: 'actions',
              header: <span className="visually-hidden">Actions</span>,
              cell: (v) =>
                v.status === 'CURRENT' ? null : (
                  <button
                    type="button"
                    className="button button--small button--ghost"
                    disabled={busy}
                    aria-label={`Delete version ${v.version}`}
                    onClick={() => deleteVersion.mutate(v.version)}
                  >
                    Delete
                  </button>
                ),
            },
          ]}
        />
      )}

      <h3>Recent job runs</h3>
      {cert.runs.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <ul className="plain-list" aria-label="Recent job runs">
          {cert.runs.slice(0, 5).map((run) => (
            <li key={run.id}>
              <Instant iso={run.startedAt} /> · {run.outcome.toLowerCase()}
              {run.note ? ` · ${run.note}` : ''}
              {run.error ? <span className="field__error"> · {run.error}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
