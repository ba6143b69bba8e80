import {
  ECG_CLASSIFICATION_NOTE,
  ECG_CLASSIFICATION_WORDS,
  type StoredEcg,
} from '../../../../shared/home-data/ecg';
import { useState } from 'react';
import { formatDateTime } from '../../ui/format';
import { EcgStripDialog } from './EcgStripDialog';

/**
 * The watch ECGs the patient brought (Apple Health): when, the watch's classification, average heart
 * rate and device. The classification is the watch's, reported by the patient: never shown as a finding
 * of the clinic, and an atrial-fibrillation reading says so beside it.
 */
export function HomeEcgList({ patientId, ecgs }: { patientId: string; ecgs: readonly StoredEcg[] }) {
  const [open, setOpen] = useState<StoredEcg | null>(null);
  if (ecgs.length === 0) return null;
  return (
    <section className="panel review-ecgs" aria-labelledby="review-ecgs-heading" data-testid="review-ecgs">
      <h2 id="review-ecgs-heading">Watch ECGs (patient’s own, from home)</h2>
      <p className="hint">{ECG_CLASSIFICATION_NOTE}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Recorded</th>
            <th scope="col">Watch classification</th>
            <th scope="col">Heart rate</th>
            <th scope="col">Symptoms</th>
            <th scope="col">Device</th>
            <th scope="col" className="no-print">
              Trace
            </th>
          </tr>
        </thead>
        <tbody>
          {ecgs.map((ecg) => (
            <tr key={ecg.id}>
              <td>{formatDateTime(ecg.recordedAt)}</td>
              <td>
                {ECG_CLASSIFICATION_WORDS[ecg.classification]}
                {ecg.classification === 'atrialFibrillation' && (
                  <span className="hint"> — patient-reported, not a clinic diagnosis</span>
                )}
              </td>
              <td>{ecg.averageHeartRate !== undefined ? `${Math.round(ecg.averageHeartRate)} /min` : '—'}</td>
              <td>{ecg.symptoms.length > 0 ? ecg.symptoms.join(', ') : 'None recorded'}</td>
              <td>
                {[
                  ecg.device && `Apple Watch (${ecg.device})`,
                  ecg.softwareVersion && `ECG app ${ecg.softwareVersion}`,
                ]
                  .filter(Boolean)
                  .join(', ') || '—'}
              </td>
              <td className="no-print">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Show the strip of the ECG of ${formatDateTime(ecg.recordedAt)}`}
                  onClick={() => setOpen(ecg)}
                >
                  Show strip
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <EcgStripDialog patientId={patientId} ecg={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
