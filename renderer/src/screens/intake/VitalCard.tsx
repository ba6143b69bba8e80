import { useEffect, useRef, useState, type FormEvent } from 'react';
import { flagVital, type AbnormalFlag } from '../../../../shared/clinical/abnormal';
import { FEET_AND_INCHES, formatFeetAndInches, formatVital } from '../../../../shared/clinical/units';
import { CONSCIOUSNESS, VITALS, consciousnessLevelSchema } from '../../../../shared/clinical/vital-signs';
import { confirmationsIn, type Confirmation } from '../../../../shared/clinical/confirmation';
import { IpcError } from '../../../../shared/ipc';
import type { Observation, ObservationValue } from '../../../../shared/records';
import { componentValue, isOnOxygen } from '../../../../shared/records';
import { LiveTrace } from '../../charts/LiveTrace';
import { errorText } from '../../ui/errors';
import { formatTime } from '../../ui/format';
import { useAltShortcut } from '../../ui/useShortcut';
import { ConfirmEntryDialog } from './ConfirmEntryDialog';
import { entryQuestion, refusalQuestion, type PendingEntry } from './entry-question';
import { LiveReading, type LiveValue } from './LiveReading';
import type { VisitSeries } from './useVisitValues';
import { VisitHistory } from './VisitHistory';
import { checkDraft, entryUnits, type Draft, type VitalField } from './vital-fields';
import { quantityText } from './history-text';

export type { LiveValue } from './LiveReading';

const FLAG_WORDS: Record<Exclude<AbnormalFlag, 'normal'>, string> = {
  'low-risk': 'Outside normal (NEWS2 1)',
  medium: 'Abnormal (NEWS2 2)',
  high: 'Very abnormal (NEWS2 3)',
};

/**
 * One vital: its current value with when and by whom, a live device value to accept, and manual entry
 * with unit choice. A value is saved the moment it is entered or accepted, never at the end of a form.
 */
export function VitalCard(props: {
  field: VitalField;
  latest: Observation | undefined;
  /** Every value of this vital in the visit, with its versions: what History lists. */
  entries?: readonly VisitSeries[] | undefined;
  live: LiveValue | undefined;
  waveform?: readonly number[] | undefined;
  /** A device measuring now (a cuff inflating), in words: shown until its reading arrives. */
  progress?: string | undefined;
  /** Whether this value has reached the care team's FHIR server, in words; null when sync is not set up. */
  syncText?: string | null | undefined;
  /** A value computed from others and shown under this card's own (BMI under height). */
  derived?: string | undefined;
  /** SpO2 only: room air or oxygen is the screen's state, because accepting a device value needs it too. */
  oxygen?: { onOxygen: boolean; flow: string } | undefined;
  setOxygen?: ((oxygen: { onOxygen: boolean; flow: string }) => void) | undefined;
  /** The clinic's unit for this card (°F, lb…) from Settings: the entry starts in it. */
  defaultUnit?: string | undefined;
  /** The nurse chose another unit on this card: it holds for her session. */
  onUnitChange?: ((unit: string) => void) | undefined;
  /** `confirmed`: the second confirmations the nurse gave for a rare value or a jump. */
  onRecord: (value: ObservationValue, confirmed: readonly Confirmation[]) => Promise<void>;
  onAmend: (
    observation: Observation,
    value: ObservationValue,
    reason: string,
    confirmed: readonly Confirmation[],
  ) => Promise<void>;
  onEnterInError: (observation: Observation, reason: string) => Promise<void>;
}) {
  const { field, latest, live } = props;
  const entries = props.entries ?? [];
  const units = field.vital ? entryUnits(field.vital) : [];
  const [draft, setDraft] = useState<Draft>({
    value: '',
    second: '',
    unit: units.find((u) => u.code === props.defaultUnit)?.code ?? units[0]?.code ?? '',
    site: field.sites?.[0] ?? '',
    onOxygen: false,
    flow: '',
    code: '',
  });
  const [message, setMessage] = useState<string | null>(null);
  // Settings that arrive after the card (or change) become its unit, unless a value is being typed.
  const [seenDefault, setSeenDefault] = useState(props.defaultUnit);
  if (props.defaultUnit !== seenDefault) {
    setSeenDefault(props.defaultUnit);
    const unit = props.defaultUnit;
    if (unit && units.some((u) => u.code === unit) && !draft.value && !draft.second)
      setDraft({ ...draft, unit });
  }
  const [amending, setAmending] = useState<Observation | null>(null);
  const [reason, setReason] = useState('');
  const [showHistory, setShowHistory] = useState(false);
  const [saving, setSaving] = useState(false);
  const [pending, setPending] = useState<PendingEntry | null>(null);
  // Where focus goes once the question has closed: the page behind a modal dialog cannot take it before.
  const refocus = useRef<'focus' | 'select' | null>(null);
  useEffect(() => {
    if (pending || !refocus.current) return;
    inputRef.current?.focus();
    if (refocus.current === 'select' && inputRef.current instanceof HTMLInputElement)
      inputRef.current.select();
    refocus.current = null;
  }, [pending]);
  const inputRef = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const id = `vital-${field.kind}`;

  useAltShortcut(field.shortcut, () => inputRef.current?.focus());

  const oxygen = props.oxygen;
  const setOxygen = props.setOxygen;
  const effective: Draft = oxygen ? { ...draft, ...oxygen } : draft;
  const update = (patch: Partial<Draft>) => {
    if (oxygen && setOxygen && (patch.onOxygen !== undefined || patch.flow !== undefined)) {
      setOxygen({ onOxygen: patch.onOxygen ?? oxygen.onOxygen, flow: patch.flow ?? oxygen.flow });
    }
    setDraft((d) => ({ ...d, ...patch }));
    setMessage(null);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkDraft(field, effective);
    if (!checked.ok) {
      setMessage(checked.message);
      return;
    }
    if (amending && reason.trim().length < 3) {
      setMessage('Say briefly why the value is corrected.');
      return;
    }
    // A rare value or a jump from the last one is not saved by this Enter: it asks first. A correction
    // is meant to differ from the value it replaces, so it is asked about only when rare.
    const question = entryQuestion({
      field,
      value: checked.value,
      enteredUnit: effective.unit,
      latest: amending ? undefined : latest,
      now: new Date(),
    });
    if (question) setPending(question);
    else await record(checked.value, []);
  }

  /** Records the value, or files it as the correction being made. */
  async function record(value: ObservationValue, confirmed: readonly Confirmation[]) {
    const correcting = amending;
    const why = reason.trim();
    await save(
      () =>
        correcting ? props.onAmend(correcting, value, why, confirmed) : props.onRecord(value, confirmed),
      (e) => {
        // Main knew of a newer value than this screen did (another window): ask as it says.
        if (!(e instanceof IpcError) || e.code !== 'NEEDS_CONFIRMATION') return false;
        const messages = e.issues?.map((i) => i.message) ?? [e.message];
        setPending(refusalQuestion(value, messages, [...confirmed, ...confirmationsIn(e.issues)]));
        return true;
      },
    );
  }

  async function save(run: () => Promise<void>, handled: (e: unknown) => boolean = () => false) {
    setSaving(true);
    try {
      await run();
      setDraft((d) => ({ ...d, value: '', second: '', code: '' }));
      setAmending(null);
      setReason('');
      setMessage(null);
    } catch (e) {
      if (!handled(e)) setMessage(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  /** Closes the question and puts the nurse back on the value, selected, to retype it. */
  function backToEntry() {
    refocus.current = 'select';
    setPending(null);
  }

  function answer(choice: 'save' | 'alternative') {
    const asked = pending;
    if (!asked) return;
    refocus.current = 'focus';
    setPending(null);
    // The other unit's reading confirms nothing by itself: if it needs a question, main asks it.
    if (choice === 'alternative' && asked.alternative) void record(asked.alternative, []);
    else void record(asked.value, asked.confirmations);
  }

  const current = latest ? describe(field, latest, draft.unit) : null;
  const messageId = `${id}-message`;

  return (
    <article
      className={`vital-card card-flag-${current?.flag ?? 'none'}`}
      aria-labelledby={`${id}-title`}
      data-testid={id}
    >
      <header className="vital-head">
        <h3 id={`${id}-title`}>{field.label}</h3>
        <kbd aria-hidden="true">Alt+{field.shortcut.toUpperCase()}</kbd>
      </header>

      <div className="vital-current" aria-live="polite">
        {current ? (
          <>
            <span className="vital-value" data-testid={`${id}-value`}>
              {current.text}
            </span>
            {current.flag && current.flag !== 'normal' && (
              <span className={`flag flag-${current.flag}`}>{FLAG_WORDS[current.flag]}</span>
            )}
            <span className="vital-meta">
              {formatTime(latest!.effectiveAt)} · {latest!.recordedByName ?? latest!.recordedBy} ·{' '}
              {latest!.method === 'device' ? `device ${deviceLabel(latest!)}` : 'typed in'}
              {latest!.status === 'amended' && ' · corrected'}
              {props.syncText && <span className="sync-state"> · {props.syncText}</span>}
            </span>
            <DeviceNotes notes={latest!.deviceNotes} testId={`${id}-device-notes`} />
          </>
        ) : (
          // Values taken but all withdrawn: nothing valid, and the History still shows them.
          <span className="vital-empty" data-testid={`${id}-empty`}>
            {entries.length > 0 ? 'No valid value' : 'Not taken yet'}
          </span>
        )}
      </div>
      {props.derived && (
        <p className="vital-derived" data-testid={`${id}-derived`}>
          {props.derived}
        </p>
      )}

      {props.progress && (
        // Not a live region: the pressure changes several times a second and would drown a screen reader.
        <p className="vital-progress" data-testid={`${id}-progress`}>
          {props.progress}
        </p>
      )}
      {live && <LiveReading live={live} testId={id} />}
      {props.waveform && props.waveform.length > 1 && (
        <LiveTrace
          samples={props.waveform}
          sampleRateHz={75}
          label="Pleth waveform from the pulse oximeter"
        />
      )}

      <form className="vital-entry" onSubmit={submit} noValidate>
        {amending && (
          <p className="amend-note">Correcting the value from {formatTime(amending.effectiveAt)}</p>
        )}
        <Entry
          field={field}
          draft={effective}
          update={update}
          inputRef={inputRef}
          messageId={message ? messageId : undefined}
          units={units}
          onUnitChange={props.onUnitChange}
        />
        {amending && (
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason for the correction</label>
            <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={saving}>
            {amending ? 'Save correction' : 'Save'}
          </button>
          {amending && (
            <button type="button" onClick={() => setAmending(null)}>
              Cancel
            </button>
          )}
          {latest && !amending && (
            <button type="button" onClick={() => setAmending(latest)}>
              Correct…
            </button>
          )}
          {(latest || entries.length > 0) && (
            <button type="button" aria-expanded={showHistory} onClick={() => setShowHistory((s) => !s)}>
              History
            </button>
          )}
        </div>
        {message && (
          <p className="field-error" id={messageId} role="alert">
            {message}
          </p>
        )}
      </form>
      {pending && (
        <ConfirmEntryDialog
          question={pending.question}
          testId={`${id}-confirm`}
          onSave={() => answer('save')}
          onAlternative={() => answer('alternative')}
          onCancel={backToEntry}
        />
      )}
      {showHistory && (latest || entries.length > 0) && (
        <VisitHistory
          label={field.label}
          entries={entries}
          latest={latest}
          describe={(o) => quantityText(field, o, draft.unit) ?? describe(field, o, draft.unit)?.text ?? ''}
          onCorrect={(o) => {
            setAmending(o);
            setMessage(null);
            inputRef.current?.focus();
          }}
          onEnterInError={props.onEnterInError}
        />
      )}
    </article>
  );
}

function Entry(props: {
  field: VitalField;
  draft: Draft;
  update: (patch: Partial<Draft>) => void;
  inputRef: React.RefObject<(HTMLInputElement & HTMLSelectElement) | null>;
  messageId: string | undefined;
  units: readonly { code: string; label: string }[];
  onUnitChange?: ((unit: string) => void) | undefined;
}) {
  const { field, draft, update, inputRef, messageId, units } = props;
  const id = `vital-${field.kind}`;
  const invalid = messageId ? true : undefined;
  const unitSelect = units.length > 1 && (
    <div className="field unit-field">
      <label htmlFor={`${id}-unit`}>Unit</label>
      <select
        id={`${id}-unit`}
        value={draft.unit}
        onChange={(e) => {
          update({ unit: e.target.value });
          props.onUnitChange?.(e.target.value);
        }}
      >
        {units.map((u) => (
          <option key={u.code} value={u.code}>
            {u.label}
          </option>
        ))}
      </select>
    </div>
  );

  if (field.shape === 'consciousness') {
    return (
      <div className="field">
        <label htmlFor={`${id}-input`}>Level</label>
        <select
          id={`${id}-input`}
          ref={inputRef}
          value={draft.code}
          aria-invalid={invalid}
          aria-describedby={messageId}
          onChange={(e) => update({ code: e.target.value })}
        >
          <option value="">Choose…</option>
          {consciousnessLevelSchema.options.map((c) => (
            <option key={c} value={c}>
              {c} — {CONSCIOUSNESS.answers[c]}
            </option>
          ))}
        </select>
      </div>
    );
  }

  const unitLabel = units.find((u) => u.code === draft.unit)?.label ?? '';
  return (
    <div className="entry-row">
      <div className="field">
        <label htmlFor={`${id}-input`}>
          {field.shape === 'bloodPressure' ? 'Systolic' : 'Value'} <span className="unit">({unitLabel})</span>
        </label>
        <input
          id={`${id}-input`}
          ref={inputRef}
          inputMode={draft.unit === FEET_AND_INCHES ? 'text' : 'decimal'}
          placeholder={draft.unit === FEET_AND_INCHES ? '5 ft 9 in' : undefined}
          autoComplete="off"
          value={draft.value}
          aria-invalid={invalid}
          aria-describedby={messageId}
          onChange={(e) => update({ value: e.target.value })}
        />
      </div>
      {field.shape === 'bloodPressure' && (
        <div className="field">
          <label htmlFor={`${id}-second`}>
            Diastolic <span className="unit">({unitLabel})</span>
          </label>
          <input
            id={`${id}-second`}
            inputMode="decimal"
            autoComplete="off"
            value={draft.second}
            aria-invalid={invalid}
            aria-describedby={messageId}
            onChange={(e) => update({ second: e.target.value })}
          />
        </div>
      )}
      {unitSelect}
      {field.sites && (
        <div className="field">
          <label htmlFor={`${id}-site`}>Site</label>
          <select id={`${id}-site`} value={draft.site} onChange={(e) => update({ site: e.target.value })}>
            {field.sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      )}
      {field.shape === 'spo2' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-oxygen`}>Breathing</label>
            <select
              id={`${id}-oxygen`}
              value={draft.onOxygen ? 'oxygen' : 'air'}
              onChange={(e) => update({ onOxygen: e.target.value === 'oxygen' })}
            >
              <option value="air">Room air</option>
              <option value="oxygen">On oxygen</option>
            </select>
          </div>
          {draft.onOxygen && (
            <div className="field">
              <label htmlFor={`${id}-flow`}>O₂ flow (L/min)</label>
              <input
                id={`${id}-flow`}
                inputMode="decimal"
                autoComplete="off"
                value={draft.flow}
                onChange={(e) => update({ flow: e.target.value })}
              />
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** The value as text in the chosen unit, and its NEWS2 flag. */
export function describe(
  field: VitalField,
  o: Observation,
  unit: string,
): { text: string; flag: AbnormalFlag | undefined } | null {
  if (o.kind === 'consciousness') {
    if (!o.valueCode) return null;
    return {
      text: `${o.valueCode} — ${CONSCIOUSNESS.answers[o.valueCode]}`,
      flag: o.valueCode === 'A' ? 'normal' : 'high',
    };
  }
  if (o.kind === 'bloodPressure') {
    const sys = componentValue(o, 'systolic');
    const dia = componentValue(o, 'diastolic');
    const map = componentValue(o, 'meanArterialPressure');
    if (sys === undefined || dia === undefined) return null;
    const bpUnit = unit === 'kPa' ? 'kPa' : VITALS.systolic.unit;
    const sysText = formatVital('systolic', sys, bpUnit).split(' ')[0];
    const text = `${sysText}/${formatVital('diastolic', dia, bpUnit)}${map !== undefined ? ` (MAP ${formatVital('meanArterialPressure', map, bpUnit)})` : ''}`;
    return { text, flag: flagVital('systolic', sys) };
  }
  const vital = field.vital;
  if (!vital || o.value === null) return null;
  const shownUnit = unit || VITALS[vital].unit;
  let text =
    shownUnit === FEET_AND_INCHES ? formatFeetAndInches(o.value) : formatVital(vital, o.value, shownUnit);
  if (o.kind === 'spo2') {
    const flow = componentValue(o, 'inhaledOxygenFlow');
    text += isOnOxygen(o) ? ` on O₂ ${flow} L/min` : ' on air';
  }
  if (o.bodySite) text += ` (${o.bodySite})`;
  return {
    text,
    flag: flagVital(vital, o.value, { onOxygen: o.kind === 'spo2' ? isOnOxygen(o) : undefined }),
  };
}

function deviceLabel(o: Observation): string {
  const d = o.device;
  if (!d) return '';
  return [d.manufacturer, d.model].filter(Boolean).join(' ') || d.driver;
}

/** What the device said about a measurement: shown before it is accepted and with the value after. */
function DeviceNotes(props: { notes: readonly string[]; testId: string }) {
  if (props.notes.length === 0) return null;
  return (
    <ul className="device-notes" data-testid={props.testId} aria-label="What the device reported">
      {props.notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}
