import './review.css';
import { useCallback, useEffect, useState } from 'react';
import { news2InputOf, type Encounter, type Patient } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { formatDateTime } from '../../ui/format';
import { News2Card } from '../intake/News2Card';
import { PatientBanner } from '../intake/PatientBanner';
import { usePatientVitals } from '../intake/usePatientVitals';
import { LatestVitalsTable } from './LatestVitalsTable';
import { LivePanel } from './LivePanel';
import { SignOffPanel } from './SignOffPanel';
import { TrendPanel } from './TrendPanel';
import { useRemoteObservations } from './useRemoteObservations';
import { useTrendHistory } from './useTrendHistory';
import { VisitChooser } from './VisitChooser';

/**
 * The clinician's view during the video visit: whose record, the latest vitals with flags and NEWS2,
 * trends across visits, what a device sends now, the history of each value, and the "Reviewed"
 * sign-off. The same page prints as the visit summary (see review.css, @media print).
 */
export function ReviewScreen() {
  const client = useClient();
  const [chosen, setChosen] = useState<{ patient: Patient; encounter: Encounter | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const patient = chosen?.patient ?? null;
  const vitals = usePatientVitals(patient?.id ?? null);
  const trends = useTrendHistory(patient?.id ?? null);
  const remote = useRemoteObservations(patient?.id ?? null);
  const corrected = useCallback(
    (next: Patient) => setChosen((c) => (c && c.patient.id === next.id ? { ...c, patient: next } : c)),
    [],
  );

  // Found through the search: open the visit in progress, if the patient has one.
  useEffect(() => {
    if (!chosen || chosen.encounter) return;
    let current = true;
    client.invoke('encounters.current', { patientId: chosen.patient.id }).then(
      (encounter) => {
        if (current && encounter)
          setChosen((c) => (c && c.patient.id === encounter.patientId ? { ...c, encounter } : c));
      },
      (e: unknown) => current && setNotice(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [client, chosen]);

  if (!chosen || !patient) {
    return (
      <div className="review">
        <h1 className="visually-hidden">Review</h1>
        <VisitChooser
          onChoose={(p, encounter) => {
            setNotice(null);
            setChosen({ patient: p, encounter });
          }}
        />
      </div>
    );
  }

  const { encounter } = chosen;
  return (
    <div className="review" data-testid="review-screen">
      <h1 className="visually-hidden">Review</h1>
      <p className="print-only print-title">
        Visit summary · printed {formatDateTime(new Date().toISOString())}
      </p>
      <PatientBanner patient={patient} onChange={() => setChosen(null)} onCorrected={corrected} />
      <div className="review-toolbar">
        <span className="review-visit" data-testid="review-visit">
          {encounter
            ? `Visit in progress since ${formatDateTime(encounter.start)}${encounter.reason ? ` · ${encounter.reason}` : ''}`
            : 'No visit in progress'}
        </span>
        <button type="button" className="no-print" onClick={() => window.print()}>
          Print / save as PDF
        </button>
      </div>
      {(notice || vitals.error) && (
        <p className="error" role="alert">
          {notice ?? vitals.error}
        </p>
      )}
      <div className="review-body">
        <div className="review-main">
          <LatestVitalsTable latest={vitals.latest} />
          <TrendPanel byCode={trends.byCode} error={trends.error} remote={remote} />
        </div>
        <aside className="review-side">
          <News2Card input={news2InputOf(vitals.latest)} />
          <LivePanel />
          <SignOffPanel encounter={encounter} />
        </aside>
      </div>
    </div>
  );
}
