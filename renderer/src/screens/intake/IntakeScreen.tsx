import './intake.css';
import { useCallback, useEffect, useState } from 'react';
import { observationsFromReading } from '../../../../shared/devices/reading-to-observations';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { bodyMassIndex } from '../../../../shared/clinical/derived';
import { formatVital } from '../../../../shared/clinical/units';
import type { VitalKind } from '../../../../shared/clinical/vital-signs';
import type { Confirmation } from '../../../../shared/clinical/confirmation';
import {
  news2InputOf,
  type Encounter,
  type ObservationValue,
  type Patient,
} from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { syncWords, useSyncStatus } from '../../sync/useSyncStatus';
import { errorText } from '../../ui/errors';
import { useAltShortcut } from '../../ui/useShortcut';
import { DeviceList } from '../devices/DeviceList';
import { useDevices } from '../devices/useDevices';
import { News2Card } from './News2Card';
import { PatientBanner } from './PatientBanner';
import { PatientFinder } from './PatientFinder';
import { VisitPanel } from './VisitPanel';
import { VitalCard, type LiveValue } from './VitalCard';
import { parseNumber, VITAL_FIELDS, type VitalField } from './vital-fields';
import { useLiveDevices } from './useLiveDevices';
import { usePatientVitals } from './usePatientVitals';

/** The nurse's intake desk: find the patient, attach the visit, take the vitals, see NEWS2. */
export function IntakeScreen() {
  const client = useClient();
  const [patient, setPatient] = useState<Patient | null>(null);
  const [encounter, setEncounter] = useState<Encounter | null>(null);
  const [oxygen, setOxygen] = useState({ onOxygen: false, flow: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const choosePatient = (next: Patient | null) => {
    setPatient(next);
    setEncounter(null);
    setOxygen({ onOxygen: false, flow: '' });
    setNotice(null);
  };
  const corrected = useCallback((next: Patient) => setPatient((p) => (p && p.id === next.id ? next : p)), []);
  const vitals = usePatientVitals(patient?.id ?? null);
  const live = useLiveDevices();
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

  const accept = useCallback(
    async (reading: DeviceReading) => {
      if (!patient) return;
      let oxygenFlowLpm: number | undefined;
      if (oxygen.onOxygen && reading.values.some((v) => v.kind === 'spo2')) {
        const flow = parseNumber(oxygen.flow);
        if (flow === null || flow <= 0)
          throw new Error('On oxygen: enter the oxygen flow before accepting the SpO₂.');
        oxygenFlowLpm = flow;
      }
      const toRecord = observationsFromReading(reading, {
        patientId: patient.id,
        encounterId: encounter?.id,
        oxygenFlowLpm,
      });
      // Each observation is saved as it goes: if one is refused, the ones before it stay saved.
      for (const observation of toRecord) {
        vitals.apply(await client.invoke('observations.record', observation));
      }
      live.dismiss(reading.readingId);
    },
    [client, patient, encounter, oxygen, vitals, live],
  );

  const shownIds = [...vitals.latest.values()].map((o) => o.id);
  const sync = useSyncStatus(shownIds);
  const syncTextOf = (id: string | undefined) =>
    sync?.configured && id ? syncWords(sync.observations.find((s) => s.observationId === id)?.state) : null;

  const newest = live.pending.at(-1);
  useAltShortcut(
    'a',
    () => {
      if (newest) accept(newest).catch((e: unknown) => setNotice(messageOf(e)));
    },
    Boolean(patient && newest),
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

  const record = async (field: VitalField, value: ObservationValue, confirmed: readonly Confirmation[]) =>
    vitals.apply(
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

  return (
    <div className="intake">
      <PatientBanner patient={patient} onChange={() => choosePatient(null)} onCorrected={corrected} />
      <VisitPanel patientId={patient.id} encounter={encounter} onChanged={setEncounter} />
      {(notice || vitals.error) && (
        <p className="error" role="alert">
          {notice ?? vitals.error}
        </p>
      )}
      <div className="intake-body">
        <section className="vitals-grid" aria-label="Vital signs">
          {newest && (
            <p className="hint live-hint">
              Newest device reading from {deviceName(newest)}: press <kbd>Alt+A</kbd> to accept it.
            </p>
          )}
          {VITAL_FIELDS.map((field) => (
            <VitalCard
              key={field.kind}
              field={field}
              latest={vitals.latest.get(field.kind)}
              live={liveValueFor(field, live.pending, deviceName, (reading) =>
                accept(reading).catch((e: unknown) => {
                  throw new Error(messageOf(e));
                }),
              )}
              waveform={field.kind === 'spo2' ? waveformFor(live.pending, live.waveforms) : undefined}
              progress={
                field.kind === 'bloodPressure' ? cuffProgress(live.cuffPressures, devices.devices) : undefined
              }
              syncText={syncTextOf(vitals.latest.get(field.kind)?.id)}
              derived={field.kind === 'bodyHeight' ? bmiText(vitals.latest) : undefined}
              oxygen={field.kind === 'spo2' ? oxygen : undefined}
              setOxygen={field.kind === 'spo2' ? setOxygen : undefined}
              onRecord={(value, confirmed) => record(field, value, confirmed)}
              onAmend={async (o, value, reason) =>
                vitals.apply(
                  await client.invoke('observations.amend', { observationId: o.id, value, reason }),
                )
              }
              onEnterInError={async (o, reason) =>
                vitals.apply(
                  await client.invoke('observations.enterInError', { observationId: o.id, reason }),
                )
              }
            />
          ))}
        </section>
        <aside className="intake-side">
          <News2Card input={news2InputOf(vitals.latest)} />
          <section className="panel" aria-labelledby="intake-devices-heading">
            <h2 id="intake-devices-heading">Devices</h2>
            <DeviceList state={devices} compact />
          </section>
        </aside>
      </div>
    </div>
  );
}

function messageOf(e: unknown): string {
  return e instanceof Error && e.name === 'Error' ? e.message : errorText(e);
}

/** The newest pending device value for a card: its own kind, or the systolic/diastolic pair for BP. */
function liveValueFor(
  field: VitalField,
  pending: readonly DeviceReading[],
  deviceName: (r: DeviceReading) => string,
  accept: (r: DeviceReading) => Promise<void>,
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
      : formatVital(wanted, value(wanted) ?? 0);
  return {
    text,
    notes: reading.notes,
    deviceName: deviceName(reading),
    receivedAt: reading.receivedAt,
    accept: () => accept(reading),
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
