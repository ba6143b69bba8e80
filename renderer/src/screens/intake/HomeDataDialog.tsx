import { ECG_CLASSIFICATION_NOTE } from '../../../../shared/home-data/ecg';
import { ecgCountsText } from '../home-ecg-words';
import './home-data.css';
import { useEffect, useId, useRef, useState } from 'react';
import type {
  HomeImportPreview,
  HomeImportProgress,
  HomeImportResult,
} from '../../../../shared/home-data/import-summary';
import {
  HOME_FORMAT_LABELS,
  HOME_MEASURE_LABELS,
  homeSourceText,
  homeValueText,
} from '../../../../shared/home-data/words';
import type { CsvColumnMapping } from '../../../../shared/home-data/csv-mapping';
import type { CsvLayout } from '../../../../shared/home-data/csv-mapping-form';
import { IpcError } from '../../../../shared/ipc';
import type { Patient } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { patientName } from '../../ui/format';
import { CsvMappingForm } from './CsvMappingForm';

/** A file main holds for this window: the renderer knows its token and name, never its path. */
interface HeldFile {
  token: string;
  fileName: string;
}
type CsvMappingSource = 'saved' | 'confirmed' | undefined;

type Step =
  | { kind: 'choose' }
  | { kind: 'reading'; fileName: string; jobId: string }
  | {
      kind: 'mapping';
      file: HeldFile;
      layout: CsvLayout;
      units: Record<string, string[]>;
      remembered: CsvColumnMapping | null;
    }
  | {
      kind: 'preview';
      jobId: string;
      preview: HomeImportPreview;
      file: HeldFile;
      csvMapping: CsvMappingSource;
    }
  | {
      kind: 'saving';
      jobId: string;
      preview: HomeImportPreview;
      file: HeldFile;
      csvMapping: CsvMappingSource;
    }
  | { kind: 'done'; preview: HomeImportPreview; result: HomeImportResult };

function sizeText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const dateTime = (iso: string | null): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/**
 * Intake → Home data: the nurse chooses the patient's export (main opens the file dialog), sees what is
 * in it and every problem, and imports it into this patient, with a progress bar and Cancel. Values
 * imported here are the patient's own: they stay apart from the clinic's and never count for NEWS2.
 */
export function HomeDataDialog(props: {
  patient: Patient;
  onClose: (imported: boolean) => void;
  /** A file dropped on intake's Home data area: read at once, as if dropped here. */
  droppedFile?: File;
}) {
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [progress, setProgress] = useState<HomeImportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmSubject, setConfirmSubject] = useState(false);
  const jobRef = useRef<string | null>(null);
  const { patient } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  // Each step replaces the last one's controls: the keyboard is not left on the page's body (behind the
  // dialog) but on what the step shows — the preview or the result to read, else the first control.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const toRead = dialog.querySelector<HTMLElement>('[data-step-focus]');
    if (toRead) toRead.focus();
    else if (!dialog.contains(document.activeElement))
      dialog.querySelector<HTMLElement>('button:not(:disabled)')?.focus();
  }, [step.kind]);
  useEffect(
    () =>
      client.on('homeData.progress', (p) => {
        if (p.jobId === jobRef.current) setProgress(p);
      }),
    [client],
  );
  // Closing the dialog mid-way drops the file: nothing of it is kept.
  useEffect(
    () => () => {
      const jobId = jobRef.current;
      if (jobId)
        void client.invoke('homeData.cancel', { jobId, patientId: patient.id }).catch(() => undefined);
    },
    [client, patient.id],
  );

  /** Reads the held file: its preview, or (a CSV of no known kind) the column-mapping form. */
  const readFile = async (file: HeldFile, options: { mapping?: CsvColumnMapping; remap?: boolean } = {}) => {
    setError(null);
    try {
      const jobId = crypto.randomUUID();
      jobRef.current = jobId;
      setProgress(null);
      setConfirmSubject(false);
      setStep({ kind: 'reading', fileName: file.fileName, jobId });
      const answer = await client.invoke('homeData.preview', {
        jobId,
        patientId: patient.id,
        fileToken: file.token,
        ...options,
      });
      if (answer.status === 'done') {
        setStep({ kind: 'preview', jobId, preview: answer.preview, file, csvMapping: answer.csvMapping });
        return;
      }
      jobRef.current = null;
      if (answer.status === 'needs-mapping') {
        const { header, delimiter, layoutKey, sampleRows, units, remembered } = answer;
        setStep({
          kind: 'mapping',
          file,
          layout: { header, delimiter, layoutKey, sampleRows },
          units,
          remembered,
        });
      } else setStep({ kind: 'choose' });
    } catch (e) {
      jobRef.current = null;
      setStep({ kind: 'choose' });
      setError(errorText(e));
    }
  };

  /** A file dropped on the dialog: main takes it from the window host, then it reads as a chosen one. */
  const drop = async (dropped: File) => {
    setError(null);
    try {
      const { file } = await client.dropFile(dropped);
      await readFile(file);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const [dragging, setDragging] = useState(false);
  const busy = step.kind === 'reading' || step.kind === 'saving';
  const initialDrop = useRef(props.droppedFile);
  useEffect(() => {
    const file = initialDrop.current;
    initialDrop.current = undefined;
    if (file) void drop(file);
    // Once, on opening with a file dropped on intake.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const choose = async () => {
    setError(null);
    try {
      const { file } = await client.invoke('homeData.chooseFile', {});
      if (file) await readFile(file);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const cancel = async () => {
    const jobId = jobRef.current;
    jobRef.current = null;
    setStep({ kind: 'choose' });
    setProgress(null);
    if (jobId)
      await client.invoke('homeData.cancel', { jobId, patientId: patient.id }).catch(() => undefined);
  };

  const importNow = async (
    jobId: string,
    preview: HomeImportPreview,
    file: HeldFile,
    csvMapping: CsvMappingSource,
  ) => {
    setError(null);
    setStep({ kind: 'saving', jobId, preview, file, csvMapping });
    try {
      const answer = await client.invoke('homeData.import', {
        jobId,
        patientId: patient.id,
        confirmSubjectMismatch: confirmSubject,
      });
      jobRef.current = null;
      if (answer.status === 'done') setStep({ kind: 'done', preview, result: answer.result });
      else setStep({ kind: 'choose' });
    } catch (e) {
      if (e instanceof IpcError && e.code === 'NEEDS_CONFIRMATION') {
        setStep({ kind: 'preview', jobId, preview, file, csvMapping });
      } else {
        jobRef.current = null;
        setStep({ kind: 'choose' });
      }
      setError(errorText(e));
    }
  };

  const done = step.kind === 'done';
  return (
    <dialog
      ref={ref}
      className={`home-data-dialog${dragging ? ' home-data-drop-active' : ''}`}
      aria-labelledby={titleId}
      data-testid="home-data-dialog"
      onDragOver={(event) => {
        // Files only, and not while a file is being read or stored.
        if (busy || !event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.target === event.currentTarget) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (file && !busy) void drop(file);
      }}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose(done);
      }}
    >
      <header className="home-data-head">
        <h2 id={titleId}>Home data for {patientName(patient)}</h2>
        <button type="button" className="secondary" onClick={() => props.onClose(done)}>
          Close
        </button>
      </header>
      {error && (
        <p className="error" role="alert" data-testid="home-data-error">
          {error}
        </p>
      )}
      {step.kind === 'choose' && (
        <div className="home-data-choose">
          <p>
            Import values the patient measured at home: an Apple Health export (export.zip), a Dexcom Clarity
            or LibreView CSV, a FHIR or Open mHealth file from a monitoring platform. They are kept apart from
            the clinic’s measurements, marked as the patient’s own, and never count towards NEWS2 or a clinic
            flag.
          </p>
          <button type="button" onClick={() => void choose()} data-testid="home-data-choose">
            Choose a file…
          </button>{' '}
          <span className="home-data-muted">or drop it here</span>
          <details className="home-data-help">
            <summary>Where do these files come from?</summary>
            <ul>
              <li>
                <strong>Apple Health:</strong> on the patient’s iPhone, Health app → profile picture → “Export
                All Health Data”, then share the export.zip (AirDrop, Files, a USB stick). Large files
                (gigabytes) are normal.
              </li>
              <li>
                <strong>Dexcom Clarity:</strong> clarity.dexcom.com → Export (download icon) → choose the
                dates → a CSV file.
              </li>
              <li>
                <strong>LibreView (FreeStyle Libre):</strong> libreview.com → Glucose History → “Download
                glucose data” → a CSV file.
              </li>
              <li>
                <strong>FHIR or Open mHealth:</strong> the export of the patient’s monitoring platform or app.
              </li>
              <li>
                <strong>Any other CSV</strong> (a cuff’s or scale’s app, a spreadsheet): choose it and say
                once which column holds the date, the value and the unit, or which measure and unit the whole
                file is. Later files with the same columns are read the same way without asking.
              </li>
            </ul>
          </details>
        </div>
      )}
      {step.kind === 'reading' && (
        <div className="home-data-reading" aria-live="polite">
          <p>
            Reading <strong>{step.fileName}</strong>…{' '}
            {progress ? `${progress.records.toLocaleString()} values so far` : ''}
          </p>
          <ProgressBar progress={progress} label={`Reading ${step.fileName}`} />
          <button
            type="button"
            className="secondary"
            onClick={() => void cancel()}
            data-testid="home-data-cancel"
          >
            Cancel
          </button>
        </div>
      )}
      {step.kind === 'mapping' && (
        <CsvMappingForm
          fileName={step.file.fileName}
          fileToken={step.file.token}
          layout={step.layout}
          units={step.units}
          remembered={step.remembered}
          onConfirm={(mapping) => void readFile(step.file, { mapping })}
          onCancel={() => setStep({ kind: 'choose' })}
        />
      )}
      {(step.kind === 'preview' || step.kind === 'saving') && step.csvMapping === 'saved' && (
        <p className="home-data-saved-mapping" data-testid="home-data-saved-mapping">
          Using the saved column mapping for this layout —{' '}
          <button
            type="button"
            className="link"
            disabled={step.kind === 'saving'}
            onClick={() => {
              const file = step.file;
              void cancel().then(() => readFile(file, { remap: true }));
            }}
          >
            Change
          </button>
        </p>
      )}
      {(step.kind === 'preview' || step.kind === 'saving') && (
        <PreviewView
          preview={step.preview}
          confirmSubject={confirmSubject}
          setConfirmSubject={setConfirmSubject}
          saving={step.kind === 'saving'}
          progress={progress}
          onImport={() => void importNow(step.jobId, step.preview, step.file, step.csvMapping)}
          onCancel={() => void cancel()}
        />
      )}
      {step.kind === 'done' && (
        <div
          className="home-data-done"
          role="status"
          data-testid="home-data-done"
          tabIndex={-1}
          data-step-focus
        >
          <p>
            <strong>{step.result.added.toLocaleString()}</strong> new{' '}
            {step.result.added === 1 ? 'value' : 'values'} imported from {step.preview.fileName}
            {step.result.alreadyImported > 0
              ? `; ${step.result.alreadyImported.toLocaleString()} were already here and were not added again`
              : ''}
            .
          </p>
          <button type="button" onClick={() => setStep({ kind: 'choose' })}>
            Import another file
          </button>
        </div>
      )}
    </dialog>
  );
}

function ProgressBar(props: { progress: HomeImportProgress | null; label: string }) {
  const { progress } = props;
  const total = progress?.bytesTotal ?? null;
  const value = progress && total ? Math.min(progress.bytesRead, total) : undefined;
  return (
    <progress
      className="home-data-progress"
      aria-label={props.label}
      max={total ?? undefined}
      value={value}
      data-testid="home-data-progress"
    />
  );
}

function PreviewView(props: {
  preview: HomeImportPreview;
  confirmSubject: boolean;
  setConfirmSubject: (v: boolean) => void;
  saving: boolean;
  progress: HomeImportProgress | null;
  onImport: () => void;
  onCancel: () => void;
}) {
  const { preview } = props;
  const mismatch = preview.subjectCheck.mismatches;
  const canImport =
    !preview.blocked &&
    !props.saving &&
    preview.recordsRead > 0 &&
    (mismatch.length === 0 || props.confirmSubject);
  return (
    <div
      className="home-data-preview"
      data-testid="home-data-preview"
      tabIndex={-1}
      data-step-focus
      aria-label={`Preview of ${preview.fileName}`}
    >
      <dl className="home-data-facts">
        <div>
          <dt>File</dt>
          <dd>
            {preview.fileName} ({sizeText(preview.fileBytes)})
          </dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd data-testid="home-data-format">{HOME_FORMAT_LABELS[preview.format]}</dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd>
            {dateTime(preview.firstEffective)} – {dateTime(preview.lastEffective)}
          </dd>
        </div>
        <div>
          <dt>Values</dt>
          <dd data-testid="home-data-counts">
            {preview.recordsRead.toLocaleString()} read:{' '}
            <strong>{preview.newRecords.toLocaleString()} new</strong>
            {preview.alreadyImported > 0 && `, ${preview.alreadyImported.toLocaleString()} already imported`}
            {preview.duplicatesInFile > 0 &&
              `, ${preview.duplicatesInFile.toLocaleString()} twice in the file`}
          </dd>
        </div>
      </dl>
      {mismatch.length > 0 && (
        <div className="home-data-subject" role="alert" data-testid="home-data-subject">
          <p>
            This export names a different {mismatch.slice(0, -1).join(', ')}
            {mismatch.length > 1 ? ' and ' : ''}
            {mismatch.at(-1)}
            {/* The name it prints is never shown or kept: only that it differs. */}
            {mismatch.some((m) => m !== 'name') &&
              ` (${[
                mismatch.includes('birth date') && preview.subjectCheck.subject?.birthDate,
                mismatch.includes('sex') && preview.subjectCheck.subject?.sex,
              ]
                .filter(Boolean)
                .join(', ')})`}{' '}
            than this patient’s chart. It may be someone else’s.
          </p>
          <label>
            <input
              type="checkbox"
              checked={props.confirmSubject}
              onChange={(e) => props.setConfirmSubject(e.target.checked)}
            />{' '}
            I checked with the patient: this export is theirs
          </label>
        </div>
      )}
      <div className="home-data-columns">
        <section aria-labelledby="home-measures">
          <h3 id="home-measures">Per measure</h3>
          <table className="home-data-table">
            <tbody>
              {preview.counts.map((c) => (
                <tr key={c.measure}>
                  <th scope="row">{HOME_MEASURE_LABELS[c.measure]}</th>
                  <td>{c.count.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.ecgs && (
            <>
              <h3 id="home-ecgs">Watch ECGs</h3>
              <p data-testid="home-data-ecgs">
                {preview.ecgs.count.toLocaleString()} ({preview.ecgs.newCount.toLocaleString()} new):{' '}
                {ecgCountsText(preview.ecgs)}
              </p>
              <p className="home-data-muted">{ECG_CLASSIFICATION_NOTE}</p>
            </>
          )}
          <h3>Sources</h3>
          <ul className="home-data-sources">
            {preview.sources.map((s) => (
              <li key={`${s.sourceName ?? ''}|${s.device ?? ''}`}>
                {homeSourceText(s)} <span className="home-data-muted">({s.count.toLocaleString()})</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="home-samples">
          <h3 id="home-samples">Sample values</h3>
          <table className="home-data-table" data-testid="home-data-samples">
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Taken</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {/* One per measure: a few rows to check the file was read as meant. */}
              {preview.samples
                .filter((s, i, all) => all.findIndex((o) => o.measure === s.measure) === i)
                .map((s, i) => (
                  <tr key={i}>
                    <td>{HOME_MEASURE_LABELS[s.measure]}</td>
                    <td>{dateTime(s.effectiveStart)}</td>
                    <td>{homeValueText(s)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      </div>
      {preview.problemCount > 0 && (
        <section
          className="home-data-problems"
          aria-labelledby="home-problems"
          data-testid="home-data-problems"
        >
          <h3 id="home-problems">
            {preview.blocked ? 'Problems — nothing can be imported from this file' : 'Warnings'} (
            {preview.problemCount.toLocaleString()})
          </h3>
          <ul>
            {preview.problems.map((p, i) => (
              <li key={i} className={p.severity}>
                {p.message}
              </li>
            ))}
          </ul>
          {preview.problemCount > preview.problems.length && (
            <p className="home-data-muted">
              {(preview.problemCount - preview.problems.length).toLocaleString()} more not listed.
            </p>
          )}
        </section>
      )}
      {props.saving && <ProgressBar progress={null} label="Importing" />}
      <div className="home-data-actions">
        <button type="button" className="secondary" onClick={props.onCancel} disabled={props.saving}>
          Cancel
        </button>
        <button type="button" onClick={props.onImport} disabled={!canImport} data-testid="home-data-import">
          {props.saving
            ? 'Importing…'
            : preview.newRecords === 0 && preview.recordsRead > 0
              ? 'Import into this patient (nothing new)'
              : `Import ${preview.newRecords.toLocaleString()} into this patient`}
        </button>
      </div>
    </div>
  );
}
