import type { Patient } from '../../../../shared/records';
import { ageText, patientName, sexWord } from '../../ui/format';
import { useAltShortcut } from '../../ui/useShortcut';

/** Whose record this is, always on screen while vitals are taken, so nothing goes to the wrong patient. */
export function PatientBanner(props: { patient: Patient; onChange: () => void }) {
  const { patient } = props;
  useAltShortcut('p', props.onChange);
  return (
    <section className="patient-banner" aria-label="Current patient" data-testid="patient-banner">
      <div className="banner-identity">
        <span className="banner-name">{patientName(patient)}</span>
        <span className="banner-facts">
          {ageText(patient.birthDate)} · {sexWord(patient.sex)} · born {patient.birthDate} ·{' '}
          <span className="banner-mrn">MRN {patient.mrn}</span>
        </span>
      </div>
      <button type="button" onClick={props.onChange}>
        Change patient <kbd>Alt+P</kbd>
      </button>
    </section>
  );
}
