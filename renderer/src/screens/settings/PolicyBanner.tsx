import type { SettingsView } from '../../../../shared/ipc/channels/settings';

/**
 * Tells staff (and IT, when they are called) that the policy file has problems, naming each field, and
 * that safe settings are in use meanwhile. Shown only when there is something wrong.
 */
export function PolicyBanner({ policy }: { policy: SettingsView['policy'] }) {
  if (policy.problems.length === 0) return null;
  return (
    <section className="policy-banner" role="alert" aria-labelledby="policy-banner-heading">
      <h2 id="policy-banner-heading">Your IT department’s settings file has a problem</h2>
      <p>
        Vitals Desk is running with safe settings where the file is wrong. Please tell your IT department;
        nothing else is needed from you.
      </p>
      <ul>
        {policy.problems.map((problem) => (
          <li key={`${problem.field}:${problem.message}`} data-testid="policy-problem">
            <code>{problem.field}</code> {problem.message}
          </li>
        ))}
      </ul>
      {policy.file && (
        <p className="policy-file">
          File: <code>{policy.file}</code>
        </p>
      )}
    </section>
  );
}
