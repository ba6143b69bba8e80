import { useCallback, useState } from 'react';
import type { Patient } from '../../../../shared/records';
import { ageText, patientName, sexWord } from '../../ui/format';
import { useAltShortcut } from '../../ui/useShortcut';
import { CorrectPatientForm } from './CorrectPatientForm';
import { usePatientCorrected } from './usePatientCorrected';

/**
 * Whose record this is, always on screen while vitals are taken, so nothing goes to the wrong patient.
 * Details corrected here or at another window show at once.
 */
export function PatientBanner(props: {
  patient: Patient;
  onChange: () => void;
  onCorrected: (patient: Patient) => void;
}) {
  const { patient, onCorrected } = props;
  const [correcting, setCorrecting] = useState(false);
  useAltShortcut('p', props.onChange);
  useAltShortcut('d', () => setCorrecting(true));
  usePatientCorrected(patient.id, onCorrected);
  const saved = useCallback(
    (next: Patient) => {
      setCorrecting(false);
      onCorrected(next);
    },
    [onCorrected],
  );
  return (
    <>
      <section className="patient-banner" aria-label="Current patient" data-testid="patient-banner">
        <div className="banner-identity">
          <span className="banner-name">{patientName(patient)}</span>
          <span className="banner-facts">
            {ageText(patient.birthDate)} · {sexWord(patient.sex)} · born {patient.birthDate} ·{' '}
            <span className="banner-mrn">MRN {patient.mrn}</span>
          </span>
        </div>
        <div className="banner-actions">
          <button type="button" onClick={() => setCorrecting(true)} aria-expanded={correcting}>
            Correct details <kbd>Alt+D</kbd>
          </button>
          <button type="button" onClick={props.onChange}>
            Change patient <kbd>Alt+P</kbd>
          </button>
        </div>
      </section>
      {correcting && (
        <CorrectPatientForm patient={patient} onCorrected={saved} onClose={() => setCorrecting(false)} />
      )}
    </>
  );
}
