import { useEffect } from 'react';
import type { Patient } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';

/** Calls `onCorrected` when this patient's details are corrected, here or at another window. */
export function usePatientCorrected(patientId: string | null, onCorrected: (patient: Patient) => void): void {
  const client = useClient();
  useEffect(() => {
    if (!patientId) return;
    return client.on('patients.corrected', ({ patient }) => {
      if (patient.id === patientId) onCorrected(patient);
    });
  }, [client, patientId, onCorrected]);
}
