import type { SettingsView } from '../../../../shared/ipc/channels/settings';
import { LockBadge } from './LockBadge';

/** What only IT sets (and never shows in full here: the FHIR credentials stay in main). */
export function ManagedPanel({
  managed,
  status,
}: {
  managed: SettingsView['managed'];
  status: SettingsView['policy']['status'];
}) {
  return (
    <section className="panel" aria-labelledby="managed-heading">
      <h2 id="managed-heading">Managed by your IT department</h2>
      <p data-testid="policy-status">
        {status === 'missing'
          ? 'No IT policy on this workstation: settings are chosen here.'
          : 'An IT policy applies to this workstation.'}
      </p>
      <dl className="facts">
        <dt>Connection to the FHIR server</dt>
        <dd>
          {managed.fhirAuth ? (
            <>
              {managed.fhirAuth === 'client-credentials' ? 'Client credentials' : 'SMART backend services'}{' '}
              <LockBadge />
            </>
          ) : (
            'Not configured by IT'
          )}
        </dd>
        <dt>Devices allowed</dt>
        <dd>
          {managed.allowedDeviceRules === null ? (
            'Any supported device'
          ) : (
            <>
              {managed.allowedDeviceRules} device rule{managed.allowedDeviceRules === 1 ? '' : 's'}{' '}
              <LockBadge />
            </>
          )}
        </dd>
        <dt>Staged rollout of updates</dt>
        <dd>
          {managed.stagingPercentage === null
            ? 'All workstations'
            : `${managed.stagingPercentage} % of workstations`}
        </dd>
      </dl>
    </section>
  );
}
