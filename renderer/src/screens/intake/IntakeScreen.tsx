import './intake.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import './live-readings.css';
import { readingValuesText, readingValueText } from '../../../../shared/devices/reading-words';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { bodyMassIndex } from '../../../../shared/clinical/derived';
import { formatVital } from '../../../../shared/clinical/units';
import type { VitalKind } from '../../../../shared/clinical/vital-signs';
import type { Confirmation } from '../../../../shared/clinical/confirmation';
import {
  news2InputOf,
  type Encounter,
  type Observation,
  type ObservationValue,
  type Patient,
} from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { syncWords, useSyncStatus } from '../../sync/useSyncStatus';
import { errorText } from '../../ui/errors';
import { patientName } from '../../ui/format';
import { useLoad } from '../../ui/useLoad';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { useAltShortcut } from '../../ui/useShortcut';
import { typedButUnsaved } from './unsaved-values';
import { DeviceList } from '../devices/DeviceList';
import { useDevices } from '../devices/useDevices';
import { News2Card } from './News2Card';
import { PatientBanner } from './PatientBanner';
import { PatientFinder } from './PatientFinder';
import { VisitPanel } from './VisitPanel';
import { VitalCard, type LiveValue } from './VitalCard';
import { VITAL_FIELDS, type VitalField } from './vital-fields';
import { AcceptChooser, type ChooserOption } from './AcceptChooser';
import { DeviceMemoryList } from './DeviceMemoryList';
import { ReadingConfirmation } from './ReadingConfirmation';
import { agoText, liveStateOf, notAcceptableText, type UserMatch } from './live-reading-state';
import { useReadingActions } from './useReadingActions';
import { useLiveDevices } from './useLiveDevices';
import { usePatientVitals } from './usePatientVitals';
import { useVisitValues } from './useVisitValues';
import { useStickyTop } from './useStickyTop';
import { useFocusKeptInView } from './useFocusKeptInView';
import { HomeDataDialog } from './HomeDataDialog';

/** The nurse's intake desk: find the patient, attach the visit, take the vitals, see NEWS2. */
export function IntakeScreen() {
  const client = useClient();
  const [patient, setPatient] = useState<Patient | null>(null);
  const [encounter, setEncounter] = useState<Encounter | null>(null);
  const [oxygen, setOxygen] = useState({ onOxygen: false, flow: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const [homeDataOpen, setHomeDataOpen] = useState<false | { droppedFile?: File }>(false);
  // Values typed on the cards but not saved, found when the nurse asks to change patient: asked first.
  const [leaving, setLeaving] = useState<string[] | null>(null);
  // Device values already on hand when the open patient was chosen (see choosePatient).
  const [earlier, setEarlier] = useState<ReadonlySet<string>>(new Set());
  const intakeRef = useRef<HTMLDivElement>(null);
  useStickyTop(intakeRef, patient !== null);
  useFocusKeptInView(intakeRef, patient !== null);
  const askToChangePatient = () => {
    const unsaved = typedButUnsaved(document.querySelector('.vitals-grid'));
    if (unsaved.length > 0) setLeaving(unsaved);
    else choosePatient(null);
  };
  const choosePatient = (next: Patient | null) => {
    // What the devices sent before this patient was opened may be the previous patient's: never offered.
    if (next) setEarlier(new Set(live.pending.map((r) => r.readingId)));
    setPatient(next);
    setEncounter(null);
    setOxygen({ onOxygen: false, flow: '' });
    setNotice(null);
  };
  const corrected = useCallback((next: Patient) => setPatient((p) => (p && p.id === next.id ? next : p)), []);
  const vitals = usePatientVitals(patient?.id ?? null);
  const visitValues = useVisitValues(patient?.id ?? null, encounter?.id ?? null);
  const live = useLiveDevices();
  const settings = useLoad(() => client.invoke('settings.get', {}), [client]);
  // Loaded again each time the screen is shown, so a change in Settings → My units applies at once.
  const myUnits = useLoad(() => client.invoke('settings.myUnits', {}), [client]);
  // A unit the nurse picks on a card holds for every patient until she signs out (this screen is hers).
  const [sessionUnits, setSessionUnits] = useState<Partial<Record<string, string>>>({});
  /** Where every card starts: her choice this session, else her own units, else the clinic's. */
  const defaultUnitOf = (field: VitalField): string | undefined =>
    sessionUnits[field.kind] ??
    (myUnits.data as Partial<Record<string, string>> | null)?.[field.kind] ??
    (field.kind === 'bodyTemperature'
      ? settings.data?.settings.temperatureUnit.value
      : field.kind === 'bodyWeight'
        ? settings.data?.settings.weightUnit.value
        : undefined);
  const devices = useDevices();

  useEffect(() => {
    if (!patient) return;
    client
      .invoke('encounters.current', { patientId: patient.id })
      .then(setEncounter, (e: unknown) => setNotice(errorText(e)));
  }, [client, patient]);

  const deviceName = (reading: DeviceReading) =>
    devices.devices.find((d) => d.id === reading.provenance.deviceId)?.name ??
    ([reading.provenance.manufacturer, reading.provenance.model].filter(Boolean).join(' ') || 'device');

  const actions = useReadingActions({
    patient,
    encounter,
    oxygen,
    onFiled: vitals.apply,
    dismiss: live.dismiss,
  });
  const [chooser, setChooser] = useState<ChooserOption[] | null>(null);
  const { announce } = actions;
  const correctedAndSaid = useCallback(
    (next: Patient) => {
      corrected(next);
      announce(`Patient details corrected: ${patientName(next)}.`);
    },
    [corrected, announce],
  );

  const shownIds = [...vitals.latest.values()].map((o) => o.id);
  const sync = useSyncStatus(shownIds);
  const syncTextOf = (id: string | undefined) =>
    sync?.configured && id ? syncWords(sync.observations.find((s) => s.observationId === id)?.state) : null;

  const liveFacts = {
    connected: live.connected,
    ended: live.ended,
    earlier,
    now: live.now,
    matches: actions.matches,
  };
  const fresh = live.pending.filter((r) => liveStateOf(r, liveFacts) === 'fresh');
  const acceptNow = (reading: DeviceReading) =>
    actions.accept(reading).catch((e: unknown) => actions.announce(messageOf(e)));
  // Alt+A: the device on the focused card; with none focused, the one fresh value, or a choice of them.
  useAltShortcut(
    'a',
    () => {
      const card =
        document.activeElement instanceof Element ? document.activeElement.closest('.vital-card') : null;
      if (card) {
        const readingId = card.querySelector('[data-reading-id]')?.getAttribute('data-reading-id');
        const reading = live.pending.find((r) => r.readingId === readingId);
        const state = reading ? liveStateOf(reading, liveFacts) : undefined;
        if (!reading || !state) actions.announce('This card has no device value to accept.');
        else if (state === 'fresh') void acceptNow(reading);
        // Not acceptable: say why, and nothing is filed (main would refuse it too).
        else
          actions.announce(
            `${notAcceptableText(state, reading, deviceName(reading), live.now, false, patientName(patient!))}.`,
          );
        return;
      }
      if (fresh.length === 0) actions.announce('No device value can be accepted now.');
      else if (fresh.length === 1) void acceptNow(fresh[0]!);
      else
        setChooser(
          fresh.map((r) => ({
            deviceId: r.provenance.deviceId,
            readingId: r.readingId,
            deviceName: deviceName(r),
            values: readingValuesText(r.values),
            age: agoText(r.receivedAt, live.now),
          })),
        );
    },
    Boolean(patient) && chooser === null,
  );

  if (!patient) {
    return (
      <div className="intake intake-find">
        <PatientFinder onChoose={choosePatient} />
        <aside className="panel devices-aside" aria-labelledby="devices-heading">
          <h2 id="devices-heading">Devices</h2>
          <DeviceList state={devices} compact />
        </aside>
      </div>
    );
  }

  // Every save, correction and withdrawal is said in the live region above the cards.
  const record = async (field: VitalField, value: ObservationValue, confirmed: readonly Confirmation[]) =>
    saidDone(
      `${field.label} saved.`,
      async () =>
        await client.invoke('observations.record', {
          ...value,
          ...(confirmed.length ? { confirmed: [...confirmed] } : {}),
          patientId: patient.id,
          ...(encounter ? { encounterId: encounter.id } : {}),
          kind: field.kind,
          effectiveAt: new Date().toISOString(),
          method: 'manual',
        }),
    );
  async function saidDone(message: string, save: () => Promise<Observation>): Promise<void> {
    vitals.apply(await save());
    actions.announce(message);
  }

  return (
    <div className="intake" ref={intakeRef}>
      <PatientBanner patient={patient} onChange={askToChangePatient} onCorrected={correctedAndSaid} />
      {leaving && (
        <ConfirmDialog
          title="Change patient?"
          body={(id) => (
            <p id={id}>
              Typed but not saved for {patientName(patient)}: {leaving.join('; ')}. Changing patient loses
              them.
            </p>
          )}
          cancelLabel="Stay and save them"
          onCancel={() => setLeaving(null)}
          actions={
            <button
              type="button"
              className="danger"
              onClick={() => {
                setLeaving(null);
                choosePatient(null);
              }}
            >
              Change patient without saving
            </button>
          }
          trapKeys
          testId="change-patient-dialog"
        />
      )}
      <VisitPanel
        patientId={patient.id}
        encounter={encounter}
        onChanged={setEncounter}
        onDone={actions.announce}
      />
      {(notice || vitals.error) && (
        <p className="error" role="alert">
          {notice ?? vitals.error}
        </p>
      )}
      <div className="intake-body">
        <section className="vitals-grid" aria-label="Vital signs">
          <p className="accept-status" role="status" aria-live="polite" data-testid="accept-status">
            {actions.announcement}
          </p>
          {/* Its room is kept while no value waits, so the cards do not move as values come and go. */}
          <p className="hint live-hint" data-idle={fresh.length === 0 || undefined}>
            Device values to accept: press <kbd>Alt+A</kbd> (on a card: that card’s device).
          </p>
          {VITAL_FIELDS.map((field) => (
            <VitalCard
              key={field.kind}
              field={field}
              latest={vitals.latest.get(field.kind)}
              entries={visitValues.byKind.get(field.kind)}
              live={liveValueFor(field, live.pending, {
                ...liveFacts,
                deviceName,
                patientLabel: patientName(patient),
                actions,
              })}
              waveform={field.kind === 'spo2' ? waveformFor(live.pending, live.waveforms) : undefined}
              progress={
                field.kind === 'bloodPressure' ? cuffProgress(live.cuffPressures, devices.devices) : undefined
              }
              syncText={syncTextOf(vitals.latest.get(field.kind)?.id)}
              derived={field.kind === 'bodyHeight' ? bmiText(vitals.latest) : undefined}
              oxygen={field.kind === 'spo2' ? oxygen : undefined}
              setOxygen={field.kind === 'spo2' ? setOxygen : undefined}
              defaultUnit={defaultUnitOf(field)}
              onUnitChange={(unit) => setSessionUnits((u) => ({ ...u, [field.kind]: unit }))}
              onRecord={(value, confirmed) => record(field, value, confirmed)}
              onAmend={async (o, value, reason, confirmed) =>
                saidDone(`${field.label} corrected.`, async () =>
                  client.invoke('observations.amend', {
                    observationId: o.id,
                    value,
                    reason,
                    ...(confirmed.length ? { confirmed: [...confirmed] } : {}),
                  }),
                )
              }
              onEnterInError={async (o, reason) =>
                saidDone(`${field.label} marked as entered in error.`, async () =>
                  client.invoke('observations.enterInError', { observationId: o.id, reason }),
                )
              }
            />
          ))}
        </section>
        <aside className="intake-side">
          <News2Card input={news2InputOf(vitals.latest)} />
          <section
            className="panel"
            aria-labelledby="intake-home-heading"
            data-testid="intake-home-data"
            // A patient's export dropped here opens the import with it.
            onDragOver={(event) => {
              if (!event.dataTransfer.types.includes('Files')) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = 'copy';
            }}
            onDrop={(event) => {
              event.preventDefault();
              const file = event.dataTransfer.files[0];
              if (file) setHomeDataOpen({ droppedFile: file });
            }}
          >
            <h2 id="intake-home-heading">Home data</h2>
            <button type="button" className="secondary" onClick={() => setHomeDataOpen({})}>
              Import home data…
            </button>
            <p className="home-data-muted">or drop the patient’s file here</p>
          </section>
          <DeviceMemoryList
            readings={live.memory}
            deviceName={deviceName}
            matches={actions.matches}
            patientLabel={patientName(patient)}
            accept={actions.accept}
            fileHere={actions.fileHere}
            discard={(r) => actions.discard(r, deviceName(r))}
          />
          <section className="panel" aria-labelledby="intake-devices-heading">
            <h2 id="intake-devices-heading">Devices</h2>
            <DeviceList state={devices} compact />
          </section>
        </aside>
      </div>
      <ReadingConfirmation actions={actions} />
      {homeDataOpen && (
        <HomeDataDialog
          patient={patient}
          onClose={() => setHomeDataOpen(false)}
          {...(homeDataOpen.droppedFile ? { droppedFile: homeDataOpen.droppedFile } : {})}
        />
      )}
      {chooser && (
        <AcceptChooser
          options={chooser}
          onClose={() => setChooser(null)}
          onChoose={(deviceId) => {
            setChooser(null);
            const reading = live.pending.find((r) => r.provenance.deviceId === deviceId);
            if (reading) void acceptNow(reading);
          }}
        />
      )}
    </div>
  );
}

function messageOf(e: unknown): string {
  return e instanceof Error && e.name === 'Error' ? e.message : errorText(e);
}

/**
 * The newest live device value for a card (its own kind, or the systolic/diastolic pair for BP), with
 * whether it may be accepted now and, when not, why.
 */
function liveValueFor(
  field: VitalField,
  pending: readonly DeviceReading[],
  facts: {
    connected: ReadonlySet<string>;
    ended: ReadonlySet<string>;
    earlier: ReadonlySet<string>;
    now: number;
    matches: readonly UserMatch[];
    deviceName: (r: DeviceReading) => string;
    patientLabel: string;
    actions: ReturnType<typeof useReadingActions>;
  },
): LiveValue | undefined {
  const wanted: VitalKind = field.kind === 'bloodPressure' ? 'systolic' : (field.vital ?? 'heartRate');
  if (field.shape === 'consciousness') return undefined;
  const reading = [...pending].reverse().find((r) => r.values.some((v) => v.kind === wanted));
  if (!reading) return undefined;
  const value = (kind: VitalKind) => reading.values.find((v) => v.kind === kind)?.value;
  const sys = value('systolic');
  const dia = value('diastolic');
  const text =
    field.kind === 'bloodPressure' && sys !== undefined && dia !== undefined
      ? `${Math.round(sys)}/${formatVital('diastolic', dia)}`
      : readingValueText(reading.values.find((v) => v.kind === wanted)!);
  const name = facts.deviceName(reading);
  const state = liveStateOf(reading, facts);
  const { actions } = facts;
  return {
    readingId: reading.readingId,
    text,
    notes: reading.notes,
    signalQuality: reading.signalQuality,
    deviceName: name,
    receivedAt: reading.receivedAt,
    state,
    statusText:
      state === 'fresh'
        ? undefined
        : notAcceptableText(
            state,
            reading,
            name,
            facts.now,
            facts.connected.has(reading.provenance.deviceId),
            facts.patientLabel,
          ),
    accept: () => actions.accept(reading).catch((e: unknown) => Promise.reject(new Error(messageOf(e)))),
    ...(state === 'held'
      ? {
          fileHere: { label: `File to ${facts.patientLabel}`, run: () => actions.fileHere(reading) },
          discard: () => actions.discard(reading, name),
        }
      : {}),
  };
}

/** "Measuring on Desk cuff: 142 mmHg" while a cuff inflates or deflates. */
function cuffProgress(
  pressures: ReadonlyMap<string, number>,
  known: readonly { id: string; name: string }[],
): string | undefined {
  const [deviceId, mmHg] = [...pressures].at(-1) ?? [];
  if (deviceId === undefined || mmHg === undefined) return undefined;
  return `Measuring on ${known.find((d) => d.id === deviceId)?.name ?? 'the cuff'}: cuff at ${mmHg} mmHg`;
}

function waveformFor(
  pending: readonly DeviceReading[],
  waveforms: ReadonlyMap<string, readonly number[]>,
): readonly number[] | undefined {
  const oximeter = [...pending].reverse().find((r) => r.values.some((v) => v.kind === 'spo2'));
  if (oximeter) return waveforms.get(oximeter.provenance.deviceId);
  return waveforms.values().next().value;
}

/** BMI from the latest weight and height, when both are there (shown, not stored: it follows from them). */
function bmiText(latest: ReadonlyMap<string, { value: number | null }>): string | undefined {
  const weight = latest.get('bodyWeight')?.value;
  const height = latest.get('bodyHeight')?.value;
  if (weight == null || height == null) return undefined;
  return `BMI ${formatVital('bmi', bodyMassIndex(weight, height))}`;
}
