import type { Health } from '../../../../shared/ipc/channels/app';
import { useHealth } from '../../frame/useHealth';

/** What IT or support asks first: which version, where the data lives, and whether each service is up. */
export function HealthPanel() {
  const { health, error } = useHealth();
  return (
    <section className="panel health-panel" aria-labelledby="health-heading">
      <h2 id="health-heading">This workstation</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!health && !error && <p>Checking the workstation…</p>}
      {health && (
        <>
          <dl className="facts">
            <dt>App version</dt>
            <dd data-testid="app-version">{health.appVersion}</dd>
            <dt>Data directory</dt>
            <dd data-testid="data-directory">
              <code>{health.dataDirectory}</code>
            </dd>
            <dt>Status</dt>
            <dd data-testid="core-status">{statusWords(health.status)}</dd>
            <dt>Running in</dt>
            <dd>{health.host === 'electron' ? 'Vitals Desk app' : 'Chromium host (development)'}</dd>
            <dt>Started</dt>
            <dd>{new Date(health.startedAt).toLocaleString()}</dd>
          </dl>
          <h3>Services</h3>
          <ul className="services">
            {health.services.map((s) => (
              <li key={s.name} className={`service ${s.status}`}>
                <span className="service-name">{s.name}</span>{' '}
                <span className="service-status">
                  {s.status === 'ok' ? 'OK' : s.status === 'unavailable' ? 'Unavailable' : 'Error'}
                </span>
                {s.detail && <span className="service-detail"> — {s.detail}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function statusWords(status: Health['status']): string {
  switch (status) {
    case 'ready':
      return 'Ready';
    case 'starting':
      return 'Starting';
    case 'degraded':
      return 'Running with problems (see services)';
    case 'error':
      return 'Not working';
  }
}
