import { useState, type FormEvent } from 'react';
import type { MyUnits } from '../../../../shared/ipc/channels/settings';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { useLoad } from '../../ui/useLoad';

type UnitKey = keyof MyUnits;

/** The choices per vital; '' is "the clinic's". */
const CHOICES: readonly { key: UnitKey; label: string; options: readonly [string, string][] }[] = [
  {
    key: 'bodyTemperature',
    label: 'Temperature',
    options: [
      ['Cel', '°C'],
      ['[degF]', '°F'],
    ],
  },
  {
    key: 'bodyWeight',
    label: 'Weight',
    options: [
      ['kg', 'kg'],
      ['[lb_av]', 'lb'],
    ],
  },
  {
    key: 'bodyHeight',
    label: 'Height',
    options: [
      ['cm', 'cm'],
      ['[in_i]', 'in'],
      ['ft+in', 'ft + in'],
    ],
  },
  {
    key: 'glucose',
    label: 'Glucose',
    options: [
      ['mg/dL', 'mg/dL'],
      ['mmol/L', 'mmol/L'],
    ],
  },
];

/**
 * The signed-in user's own units: where her vital cards start, over the clinic's. Hers only; a
 * colleague at the same workstation keeps her own.
 */
export function MyUnitsPanel() {
  const client = useClient();
  const saved = useLoad(() => client.invoke('settings.myUnits', {}), [client]);
  const [draft, setDraft] = useState<MyUnits | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown: MyUnits = draft ?? saved.data ?? {};

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const units = await client.invoke('settings.setMyUnits', shown);
      setDraft(units);
      setStatus('Your units are saved. Your cards start in them from now on.');
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section className="panel" aria-labelledby="my-units-heading">
      <h2 id="my-units-heading">My units</h2>
      <p className="hint">
        Where your vital cards start, for every patient. “Clinic’s” follows the workstation’s units.
      </p>
      {saved.error && (
        <p className="error" role="alert">
          {saved.error}
        </p>
      )}
      <form onSubmit={submit} className="my-units" aria-label="My units">
        {CHOICES.map((choice) => (
          <div className="field" key={choice.key}>
            <label htmlFor={`my-unit-${choice.key}`}>{choice.label}</label>
            <select
              id={`my-unit-${choice.key}`}
              value={shown[choice.key] ?? ''}
              onChange={(e) => {
                setStatus(null);
                setDraft({ ...shown, [choice.key]: e.target.value || undefined });
              }}
            >
              <option value="">Clinic’s</option>
              {choice.options.map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="actions">
          <button type="submit" className="primary">
            Save my units
          </button>
        </div>
        <p role="status" aria-live="polite" data-testid="my-units-status">
          {status}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
