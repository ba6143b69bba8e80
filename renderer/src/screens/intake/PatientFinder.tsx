import { useEffect, useId, useRef, useState } from 'react';
import type { Patient, PatientSummary } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { ageText, patientName, sexWord } from '../../ui/format';
import { useAltShortcut } from '../../ui/useShortcut';
import { useLoad } from '../../ui/useLoad';
import { RegisterPatientForm } from './RegisterPatientForm';

/**
 * Find the patient as you type (MRN, name or birth date), or register them. Arrow keys move through the
 * results and Enter opens one, so the nurse never leaves the keyboard.
 */
export function PatientFinder(props: { onChoose: (patient: Patient) => void }) {
  const client = useClient();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<PatientSummary[] | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const recent = useLoad(() => client.invoke('patients.recent', { limit: 8 }), [client]);

  useAltShortcut('n', () => setRegistering(true));

  useEffect(() => {
    const text = query.trim();
    if (!text) return;
    let current = true;
    // A short pause so a fast typist does not send a search per keystroke.
    const timer = setTimeout(() => {
      client.invoke('patients.search', { query: text, limit: 25 }).then(
        (found) => {
          if (!current) return;
          setResults(found);
          setActive(0);
          setError(null);
        },
        (e: unknown) => current && setError(errorText(e)),
      );
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, query]);

  if (registering) {
    return (
      <RegisterPatientForm
        initialQuery={query}
        onRegistered={props.onChoose}
        onCancel={() => {
          setRegistering(false);
          setTimeout(() => inputRef.current?.focus(), 0);
        }}
      />
    );
  }

  const searching = query.trim().length > 0;
  const shown = searching ? (results ?? []) : [];
  // Lists carry no contact details: the chosen patient is opened in full (and that read is audited).
  const choose = (patient: PatientSummary | undefined) => {
    if (!patient) return;
    client
      .invoke('patients.get', { patientId: patient.id })
      .then(props.onChoose, (e: unknown) => setError(errorText(e)));
  };

  return (
    <section className="panel patient-finder" aria-labelledby="find-heading">
      <h1 id="find-heading">Find the patient</h1>
      <div className="finder-row">
        <label htmlFor="patient-query">MRN, name or birth date (YYYY-MM-DD)</label>
        <input
          id="patient-query"
          ref={inputRef}
          autoFocus
          autoComplete="off"
          role="combobox"
          aria-expanded={shown.length > 0}
          aria-controls={listId}
          aria-activedescendant={shown[active] ? `${listId}-${shown[active].id}` : undefined}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((i) => Math.min(i + 1, shown.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(shown[active]);
            }
          }}
        />
        <button type="button" onClick={() => setRegistering(true)}>
          Register new patient <kbd>Alt+N</kbd>
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {searching && results && (
        <p className="hint" role="status" aria-live="polite">
          {results.length === 0
            ? 'No patient matches. Check the spelling, or register the patient.'
            : `${results.length} patient${results.length === 1 ? '' : 's'} found. Use ↑ ↓ and Enter.`}
        </p>
      )}
      <ul id={listId} role="listbox" aria-label="Matching patients" className="patient-list">
        {shown.map((p, i) => (
          <PatientOption
            key={p.id}
            id={`${listId}-${p.id}`}
            patient={p}
            selected={i === active}
            onChoose={() => choose(p)}
          />
        ))}
      </ul>
      {!searching && recent.data && recent.data.length > 0 && (
        <>
          <h2>Recent patients</h2>
          <ul className="patient-list recent" aria-label="Recent patients">
            {recent.data.map((p) => (
              <li key={p.id}>
                <button type="button" className="patient-row" onClick={() => choose(p)}>
                  <PatientLine patient={p} />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {recent.error && <p className="error">{recent.error}</p>}
    </section>
  );
}

function PatientOption(props: {
  id: string;
  patient: PatientSummary;
  selected: boolean;
  onChoose: () => void;
}) {
  return (
    <li
      id={props.id}
      role="option"
      aria-selected={props.selected}
      className={`patient-row${props.selected ? ' selected' : ''}`}
      onClick={props.onChoose}
    >
      <PatientLine patient={props.patient} />
    </li>
  );
}

function PatientLine({ patient }: { patient: PatientSummary }) {
  return (
    <>
      <span className="patient-name">{patientName(patient)}</span>
      <span className="patient-facts">
        {patient.birthDate} ({ageText(patient.birthDate)}) · {sexWord(patient.sex)} · MRN {patient.mrn}
      </span>
    </>
  );
}
