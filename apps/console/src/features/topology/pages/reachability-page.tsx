import {
  REACHABILITY_EXTERNAL,
  REACHABILITY_OUTSIDE,
  type ReachabilityQuery,
  type ReachabilityTrace,
} from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { SelectField, TextField } from '../../../components/ui/form-field.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import { ApiError } from '../../../lib/api-error.ts';
import { reachabilityQueries } from '../api/reachability.api.ts';
import { topologyQueries } from '../api/topology-queries.ts';
import { EdgeStateBadge } from '../components/edge-state-badge.tsx';
import { policyLink } from '../components/topology-side-panel.tsx';
import '../topology.css';

function questionFrom(params: URLSearchParams): ReachabilityQuery | undefined {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (!from || !to) return undefined;
  const protocol = params.get('protocol') ?? '';
  return {
    from,
    to,
    ...(params.get('host') ? { host: params.get('host') ?? '' } : {}),
    ...(params.get('port') ? { port: params.get('port') ?? '' } : {}),
    ...(protocol === 'HTTP' || protocol === 'HTTPS' || protocol === 'TCP' ? { protocol } : {}),
  };
}

/**
 * "Can A talk to B?": pick a source and a destination (host and port for an external one) and
 * read the verdict with its trace. The question lives in the URL, so an answer can be linked.
 */
export function ReachabilityPage() {
  const meshId = useParams().meshId ?? '';
  const [params, setParams] = useSearchParams();
  const question = questionFrom(params);
  const topology = useQuery(topologyQueries.detail(meshId));
  const [form, setForm] = useState(() => ({
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    host: params.get('host') ?? '',
    port: params.get('port') ?? '',
    protocol: params.get('protocol') ?? '',
  }));
  const trace = useQuery({
    ...reachabilityQueries.trace(meshId, question ?? { from: '', to: '' }),
    enabled: question !== undefined,
  });

  if (topology.isPending) return <LoadingState label="Loading the mesh…" />;
  if (topology.isError) {
    return <ErrorState error={topology.error} onRetry={() => void topology.refetch()} />;
  }
  const nodes = topology.data.nodes;
  const services = nodes.filter((n) => n.kind === 'virtualService');
  const gateways = nodes.filter((n) => n.kind === 'ingressGateway');
  const external = form.to === REACHABILITY_EXTERNAL;
  const fieldErrors =
    trace.error instanceof ApiError && trace.error.status === 400 ? trace.error.fieldErrors : {};

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams({ from: form.from, to: form.to });
    if (external) {
      if (form.host) next.set('host', form.host);
      if (form.port) next.set('port', form.port);
      if (form.protocol) next.set('protocol', form.protocol);
    }
    setParams(next);
  };
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: event.target.value }));

  return (
    <section className="tab-panel reachability" aria-label="Can A talk to B?">
      <h2>Can A talk to B?</h2>
      <p className="muted">
        The same rules as every edge of the{' '}
        <Link to={`/meshes/${encodeURIComponent(meshId)}/topology`}>topology</Link>: access policies
        deny by default, and the destination’s effective mTLS mode decides what it accepts.
      </p>
      <form className="reachability-form" onSubmit={onSubmit} aria-label="Question">
        <SelectField
          label="Source"
          value={form.from}
          onChange={set('from')}
          error={fieldErrors['from']?.[0]}
        >
          <option value="">Choose a source</option>
          <option value={REACHABILITY_OUTSIDE}>a caller outside the mesh</option>
          {gateways.length > 0 ? (
            <optgroup label="Ingress gateways">
              {gateways.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label="Virtual services">
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </optgroup>
        </SelectField>
        <SelectField
          label="Destination"
          value={form.to}
          onChange={set('to')}
          error={fieldErrors['to']?.[0]}
        >
          <option value="">Choose a destination</option>
          <optgroup label="Virtual services">
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </optgroup>
          <option value={REACHABILITY_EXTERNAL}>an external host…</option>
        </SelectField>
        {external ? (
          <>
            <TextField
              label="Host"
              hint="hostname or IPv4 address"
              value={form.host}
              onChange={set('host')}
              error={fieldErrors['host']?.[0]}
            />
            <TextField
              label="Port"
              inputMode="numeric"
              value={form.port}
              onChange={set('port')}
              error={fieldErrors['port']?.[0]}
            />
            <SelectField label="Protocol" value={form.protocol} onChange={set('protocol')}>
              <option value="">any</option>
              <option value="HTTP">HTTP</option>
              <option value="HTTPS">HTTPS</option>
              <option value="TCP">TCP</option>
            </SelectField>
          </>
        ) : null}
        <button type="submit" className="button" disabled={!form.from || !form.to}>
          Explain
        </button>
      </form>
      {question === undefined ? null : trace.isPending ? (
        <LoadingState label="Tracing…" />
      ) : trace.isError ? (
        Object.keys(fieldErrors).length > 0 ? null : (
          <ErrorState error={trace.error} onRetry={() => void trace.refetch()} />
        )
      ) : (
        <TraceView trace={trace.data} />
      )}
    </section>
  );
}

/** Rules listed in the trace table; a mesh with thousands shows the matched ones first. */
const RULES_SHOWN = 200;

function TraceView({ trace }: { trace: ReachabilityTrace }) {
  const rules = [...trace.rules].sort((a, b) => Number(b.matched) - Number(a.matched));
  return (
    <section className="reachability-answer" aria-label="Verdict">
      <h3>
        {trace.sourceName} → {trace.destinationName}: <EdgeStateBadge state={trace.state} />{' '}
        {trace.allowed ? 'allowed' : 'not allowed'}
      </h3>
      <p>{trace.reason}</p>
      <dl className="facts">
        <dt>Access policies</dt>
        <dd>
          {trace.policiesApply
            ? 'apply (default deny)'
            : 'do not apply to callers outside the mesh'}
        </dd>
        <dt>Allowed by</dt>
        <dd>
          {trace.matchedRules.length === 0 ? (
            <span className="muted">no rule</span>
          ) : (
            <ul className="plain-list">
              {trace.matchedRules.map((r) => (
                <li key={`${r.policyId}-${r.ruleIndex}`}>
                  <Link to={policyLink(r.policyId)}>
                    {r.policyName} rule {r.ruleIndex + 1}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </dd>
        {trace.destinationMode ? (
          <>
            <dt>Destination mode</dt>
            <dd>
              <MtlsBadge
                mode={trace.destinationMode}
                inherited={trace.destinationInherited ?? false}
              />
            </dd>
            <dt>Outside callers</dt>
            <dd>{trace.outsideCallerRefused ? 'refused' : 'allowed in plaintext'}</dd>
          </>
        ) : null}
        {trace.external ? (
          <>
            <dt>External destination</dt>
            <dd className="mono">
              {trace.external.hostname ?? trace.external.ipAddress}
              {trace.external.port !== undefined ? ` port ${trace.external.port}` : ' any port'}
              {trace.external.protocol ? ` (${trace.external.protocol})` : ''}
            </dd>
          </>
        ) : null}
        <dt>Mesh minimum</dt>
        <dd>{trace.meshMinimum}</dd>
      </dl>
      <h3>Trace</h3>
      <ol className="trace-steps">
        {trace.steps.map((step, i) => (
          <li key={i}>{step}</li>
        ))}
      </ol>
      {trace.rules.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption>
              Rules checked ({trace.rules.length}
              {trace.rules.length > RULES_SHOWN ? `, first ${RULES_SHOWN} shown` : ''})
            </caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Rule</th>
                <th scope="col">Matched</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {rules.slice(0, RULES_SHOWN).map((r) => (
                <tr key={`${r.policyId}-${r.ruleIndex}`}>
                  <td>
                    <Link to={policyLink(r.policyId)}>{r.policyName}</Link>
                  </td>
                  <td>{r.ruleIndex + 1}</td>
                  <td>{r.matched ? 'yes' : 'no'}</td>
                  <td className="reason">{r.explanation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
