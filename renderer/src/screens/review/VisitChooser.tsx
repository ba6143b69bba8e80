import type { Encounter, Patient } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { ageText, formatTime, patientName } from '../../ui/format';
import { useLoad } from '../../ui/useLoad';
import { PatientFinder } from '../intake/PatientFinder';

/** Open the patient of a visit under way, or find any patient by MRN, name or birth date. */
export function VisitChooser(props: { onChoose: (patient: Patient, encounter: Encounter | null) => void }) {
  const client = useClient();
  const visits = useLoad(() => client.invoke('reviews.visitsInProgress', {}), [client]);
  return (
    <div className="review-choose">
      <section className="panel" aria-labelledby="visits-heading">
        <div className="visits-head">
          <h2 id="visits-heading">Visits in progress</h2>
          {/* A visit the nurse starts after this list was shown appears on refresh. */}
          <button type="button" onClick={visits.reload}>
            Refresh
          </button>
        </div>
        {visits.error && (
          <p className="error" role="alert">
            {visits.error}
          </p>
        )}
        {visits.data?.length === 0 && <p className="hint">No visit is in progress.</p>}
        <ul className="patient-list" data-testid="visits-in-progress">
          {(visits.data ?? []).map(({ encounter, patient, lastReviewedAt }) => (
            <li key={encounter.id}>
              <button
                type="button"
                className="patient-row"
                onClick={() => props.onChoose(patient, encounter)}
              >
                <span className="patient-name">{patientName(patient)}</span>
                <span className="patient-facts">
                  {ageText(patient.birthDate)} · MRN {patient.mrn} · started {formatTime(encounter.start)}
                  {encounter.reason ? ` · ${encounter.reason}` : ''}
                </span>
                <span className={lastReviewedAt ? 'visit-reviewed' : 'visit-not-reviewed'}>
                  {lastReviewedAt ? `Reviewed ${formatTime(lastReviewedAt)}` : 'Not reviewed yet'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <PatientFinder onChoose={(patient) => props.onChoose(patient, null)} />
    </div>
  );
}
