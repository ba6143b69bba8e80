import { useState, type FormEvent } from 'react';
import type { Encounter } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';
import { formatTime } from '../../ui/format';

/**
 * The telemedicine visit the vitals belong to: attach the visit id or join link from the scheduling
 * system, or see the one in progress. Vitals can still be taken before a visit starts.
 */
export function VisitPanel(props: {
  patientId: string;
  encounter: Encounter | null;
  onChanged: (encounter: Encounter | null) => void;
}) {
  const client = useClient();
  const [link, setLink] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { encounter } = props;

  async function start(event: FormEvent) {
    event.preventDefault();
    const text = link.trim();
    const isUrl = /^https?:\/\//i.test(text);
    try {
      const started = await client.invoke('encounters.start', {
        patientId: props.patientId,
        ...(text ? (isUrl ? { joinUrl: text } : { externalVisitId: text }) : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setError(null);
      setErrors({});
      props.onChanged(started);
    } catch (e) {
      setError(errorText(e));
      setErrors(fieldErrors(e));
    }
  }

  async function finish() {
    if (!encounter) return;
    try {
      await client.invoke('encounters.finish', { encounterId: encounter.id });
      props.onChanged(null);
    } catch (e) {
      setError(errorText(e));
    }
  }

  if (encounter) {
    return (
      <section className="visit-panel in-progress" aria-label="Visit" data-testid="visit-panel">
        <span className="visit-state">Visit in progress since {formatTime(encounter.start)}</span>
        {encounter.externalVisitId && <span> · Visit {encounter.externalVisitId}</span>}
        {encounter.joinUrl && <span> · Video link attached</span>}
        {encounter.reason && <span> · {encounter.reason}</span>}
        <button type="button" onClick={finish}>
          Finish visit
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="visit-panel" aria-label="Visit" data-testid="visit-panel">
      <form onSubmit={start} className="visit-form">
        <div className="field">
          <label htmlFor="visit-link">Visit id or join link</label>
          <input
            id="visit-link"
            value={link}
            autoComplete="off"
            onChange={(e) => setLink(e.target.value)}
            aria-invalid={errors.joinUrl || errors.externalVisitId ? true : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="visit-reason">Reason for visit</label>
          <input
            id="visit-reason"
            value={reason}
            autoComplete="off"
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <button type="submit">Start visit</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
