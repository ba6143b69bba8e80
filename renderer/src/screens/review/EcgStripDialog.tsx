import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  ECG_CLASSIFICATION_NOTE,
  ECG_CLASSIFICATION_WORDS,
  type EcgTrace,
  type StoredEcg,
} from '../../../../shared/home-data/ecg';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { formatDateTime } from '../../ui/format';
import { ecgPaperRows, PAPER } from './ecg-paper';

/** Paper around each row: the calibration pulse and lead label on the left, the time scale below. */
const LEFT_MM = 12;
const RIGHT_MM = 2;
const ROW_GAP_MM = 7;
const ROW_WIDTH_MM = PAPER.secondsPerRow * PAPER.mmPerSecond;
/** 0, 1, … whole seconds along a row: its time scale. */
const secondMarks = (seconds: number): number[] =>
  Array.from({ length: Math.floor(seconds + 1e-9) + 1 }, (_, s) => s);

/**
 * One watch ECG drawn like an ECG strip (25 mm/s, 10 mm/mV, 1 mm and 5 mm grid), the whole recording in
 * rows of 10 s with a time scale, under a banner saying it is the patient's own watch recording, not an
 * ECG of the clinic. Modal: Escape or Close closes it and focus goes back to where it was.
 */
export function EcgStripDialog({
  patientId,
  ecg,
  onClose,
}: {
  patientId: string;
  ecg: StoredEcg;
  onClose: () => void;
}) {
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const noteId = useId();
  const [trace, setTrace] = useState<EcgTrace | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    closeRef.current?.focus();
    return () => {
      dialog.close();
      opener?.focus();
    };
  }, []);

  useEffect(() => {
    let live = true;
    client.invoke('homeData.ecgTrace', { patientId, id: ecg.id }).then(
      (answer) => live && setTrace(answer),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client, patientId, ecg.id]);

  const rate = trace?.ecg.sampleRateHz ?? ecg.sampleRateHz;
  const rows = useMemo(() => (trace ? ecgPaperRows(trace.microvolts, rate) : []), [trace, rate]);
  const seconds = (trace?.microvolts.length ?? ecg.sampleCount) / rate;
  const rowStep = PAPER.rowHeightMm + ROW_GAP_MM;
  const width = LEFT_MM + ROW_WIDTH_MM + RIGHT_MM;
  const height = Math.max(1, rows.length) * rowStep;
  const lead = ecg.lead ?? 'Lead I';
  const mid = PAPER.rowHeightMm / 2;
  const pulse = PAPER.mmPerMillivolt;

  return (
    <dialog
      ref={ref}
      className="ecg-strip-dialog"
      aria-labelledby={titleId}
      aria-describedby={noteId}
      data-testid="ecg-strip"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="ecg-strip-head">
        <h2 id={titleId}>Watch ECG · {formatDateTime(ecg.recordedAt)}</h2>
        <button type="button" ref={closeRef} className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="ecg-home-mark" id={noteId} data-testid="ecg-strip-home">
        Patient’s own watch recording (Apple Watch, single lead) — not a clinic ECG. {ECG_CLASSIFICATION_NOTE}
      </p>
      <dl className="ecg-strip-facts" data-testid="ecg-strip-facts">
        <div>
          <dt>Watch classification</dt>
          <dd>{ECG_CLASSIFICATION_WORDS[ecg.classification]}</dd>
        </div>
        <div>
          <dt>Heart rate</dt>
          <dd>{ecg.averageHeartRate !== undefined ? `${Math.round(ecg.averageHeartRate)} /min` : '—'}</dd>
        </div>
        <div>
          <dt>Lead</dt>
          <dd>{lead}</dd>
        </div>
        <div>
          <dt>Sample rate</dt>
          <dd>{`${Math.round(rate * 10) / 10} Hz`}</dd>
        </div>
        <div>
          <dt>Paper</dt>
          <dd>
            {PAPER.mmPerSecond} mm/s · {PAPER.mmPerMillivolt} mm/mV
          </dd>
        </div>
        <div>
          <dt>Length</dt>
          <dd>{`${Math.round(seconds * 10) / 10} s`}</dd>
        </div>
        {ecg.symptoms.length > 0 && (
          <div>
            <dt>Symptoms</dt>
            <dd>{ecg.symptoms.join(', ')}</dd>
          </div>
        )}
        {ecg.device && (
          <div>
            <dt>Watch</dt>
            <dd>{ecg.device}</dd>
          </div>
        )}
      </dl>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!trace && !error && (
        <p className="hint" role="status">
          Loading the trace…
        </p>
      )}
      {trace && (
        <svg
          className="ecg-strip-paper"
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={`${lead} trace, ${Math.round(seconds)} seconds in ${rows.length} rows of ${PAPER.secondsPerRow} seconds, ${PAPER.mmPerSecond} mm/s, ${PAPER.mmPerMillivolt} mm/mV`}
          data-testid="ecg-strip-paper"
        >
          <defs>
            <pattern id="ecg-minor" width="1" height="1" patternUnits="userSpaceOnUse">
              <path d="M 1 0 L 0 0 0 1" className="ecg-grid-minor" />
            </pattern>
            <pattern id="ecg-major" width="5" height="5" patternUnits="userSpaceOnUse">
              <rect width="5" height="5" fill="url(#ecg-minor)" />
              <path d="M 5 0 L 0 0 0 5" className="ecg-grid-major" />
            </pattern>
          </defs>
          {rows.map((row, r) => (
            <g key={r} transform={`translate(0 ${r * rowStep})`} data-testid="ecg-strip-row">
              <g transform={`translate(${LEFT_MM} 0)`}>
                <rect
                  width={row.seconds * PAPER.mmPerSecond}
                  height={PAPER.rowHeightMm}
                  fill="url(#ecg-major)"
                  className="ecg-grid-edge"
                />
                <polyline points={row.points} className="ecg-trace" />
                {secondMarks(row.seconds).map((s, i, all) => (
                  <text
                    key={s}
                    x={s * PAPER.mmPerSecond}
                    y={PAPER.rowHeightMm + 4}
                    className="ecg-time"
                    textAnchor={i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle'}
                  >
                    {`${Math.round(row.startSeconds + s)} s`}
                  </text>
                ))}
              </g>
              {/* The 1 mV calibration pulse, 10 mm high and 0.2 s wide, as an ECG machine prints it. */}
              <polyline
                points={`1,${mid} 3,${mid} 3,${mid - pulse} 8,${mid - pulse} 8,${mid} 10,${mid}`}
                className="ecg-trace"
              />
              <text x={1} y={mid - pulse - 2} className="ecg-lead">
                {lead.replace(/^Lead /i, '')}
              </text>
            </g>
          ))}
        </svg>
      )}
    </dialog>
  );
}
