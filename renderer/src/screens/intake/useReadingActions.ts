import { useCallback, useEffect, useState } from 'react';
import { confirmationsIn, type Confirmation } from '../../../../shared/clinical/confirmation';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { readingValuesText } from '../../../../shared/devices/reading-words';
import { IpcError } from '../../../../shared/ipc';
import type { Encounter, Observation, Patient } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import type { UserMatch } from './live-reading-state';
import { parseNumber } from './vital-fields';
import type { EntryQuestion } from './entry-question';

export interface PendingQuestion {
  question: EntryQuestion;
  channel: 'devices.accept' | 'devices.fileHeldReading';
  reading: DeviceReading;
  /** What main asked to be confirmed; sent with the answer. */
  confirmations: Confirmation[];
}

/**
 * What the nurse can do with a device reading: accept it, or for a shared device's reading held for
 * an unmatched user, file it to this patient or discard it. Main decides each time; what it says is
 * kept in `announcement` for the screen reader (a polite live region).
 */
export function useReadingActions(deps: {
  patient: Patient | null;
  encounter: Encounter | null;
  oxygen: { onOxygen: boolean; flow: string };
  onFiled: (observation: Observation) => void;
  dismiss: (readingId: string) => void;
}) {
  const client = useClient();
  const { patient, encounter, oxygen, onFiled, dismiss } = deps;
  const [announcement, setAnnouncement] = useState('');
  // Kept with the visit they were loaded for, so another patient never sees this one's matches.
  const [loaded, setLoaded] = useState<{ key: string; matches: UserMatch[] }>({ key: '', matches: [] });
  const visitKey = patient ? `${patient.id}/${encounter?.id ?? ''}` : '';
  const matches = loaded.key === visitKey ? loaded.matches : [];

  // Asked each time the desk opens a patient's visit: main also takes it as the visit this window shows
  // from then on, so a value the oximeter replaced as she pressed is charted only if it came while this
  // visit was on her screen.
  const loadMatches = useCallback(() => {
    if (!patient) return;
    const key = `${patient.id}/${encounter?.id ?? ''}`;
    client
      .invoke('devices.userMatches', {
        patientId: patient.id,
        ...(encounter ? { encounterId: encounter.id } : {}),
      })
      .then(
        (list) => setLoaded({ key, matches: list }),
        () => setLoaded({ key, matches: [] }),
      );
  }, [client, patient, encounter]);
  useEffect(loadMatches, [loadMatches]);

  const target = useCallback(
    (reading: DeviceReading) => {
      if (!patient) throw new Error('Choose the patient first.');
      let oxygenFlowLpm: number | undefined;
      if (oxygen.onOxygen && reading.values.some((v) => v.kind === 'spo2')) {
        const flow = parseNumber(oxygen.flow);
        if (flow === null || flow <= 0)
          throw new Error('On oxygen: enter the oxygen flow before accepting the SpO₂.');
        oxygenFlowLpm = flow;
      }
      return {
        readingId: reading.readingId,
        patientId: patient.id,
        ...(encounter ? { encounterId: encounter.id } : {}),
        ...(oxygenFlowLpm !== undefined ? { oxygenFlowLpm } : {}),
      };
    },
    [patient, encounter, oxygen],
  );

  /** A rare value main wants confirmed before it files it: the question, and how to answer yes. */
  const [question, setQuestion] = useState<PendingQuestion | null>(null);

  const file = useCallback(
    async (
      channel: 'devices.accept' | 'devices.fileHeldReading',
      reading: DeviceReading,
      confirmed: readonly Confirmation[] = [],
    ) => {
      let result;
      try {
        result = await client.invoke(channel, {
          ...target(reading),
          ...(confirmed.length ? { confirmed: [...confirmed] } : {}),
        });
      } catch (e) {
        if (!(e instanceof IpcError) || e.code !== 'NEEDS_CONFIRMATION') throw e;
        const confirmations = confirmationsIn(e.issues);
        setQuestion({
          question: { sentences: [e.message], saveLabel: `Accept ${readingValuesText(reading.values)}` },
          channel,
          reading,
          confirmations,
        });
        return;
      }
      setQuestion(null);
      result.observations.forEach(onFiled);
      dismiss(reading.readingId);
      setAnnouncement(result.message);
      if (channel === 'devices.fileHeldReading') loadMatches();
    },
    [client, target, onFiled, dismiss, loadMatches],
  );
  const accept = useCallback((reading: DeviceReading) => file('devices.accept', reading), [file]);
  const fileHere = useCallback((reading: DeviceReading) => file('devices.fileHeldReading', reading), [file]);

  const discard = useCallback(
    async (reading: DeviceReading, deviceName: string) => {
      if (!patient) return;
      await client.invoke('devices.discardHeldReading', {
        readingId: reading.readingId,
        patientId: patient.id,
      });
      dismiss(reading.readingId);
      setAnnouncement(
        `Discarded the reading from user ${reading.deviceUser} of ${deviceName}; nothing was filed.`,
      );
    },
    [client, patient, dismiss],
  );

  return {
    accept,
    fileHere,
    discard,
    matches,
    announcement,
    announce: setAnnouncement,
    question,
    closeQuestion: () => setQuestion(null),
    answerQuestion: () =>
      question ? file(question.channel, question.reading, question.confirmations) : Promise.resolve(),
  };
}
