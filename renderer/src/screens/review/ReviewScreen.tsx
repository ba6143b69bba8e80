import './review.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_BP_GUIDELINE } from '../../../../shared/clinical/guidelines';
import { news2InputOf, type Encounter, type Patient } from '../../../../shared/records';
import { reviewFlags } from '../../../../shared/visit/review-flags';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { useLoad } from '../../ui/useLoad';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { patientName } from '../../ui/format';
import { News2Card } from '../intake/News2Card';
import { PatientBanner } from '../intake/PatientBanner';
import { usePatientVitals } from '../intake/usePatientVitals';
import { GuidelineFlags } from './GuidelineFlags';
import { LatestVitalsTable } from './LatestVitalsTable';
import { LivePanel } from './LivePanel';
import { ReviewAction, ReviewHistory } from './SignOffPanel';
import { Time } from './Time';
import { TrendPanel } from './TrendPanel';
import { useRemoteObservations } from './useRemoteObservations';
import { useTrendHistory } from './useTrendHistory';
import { useHomeData } from './useHomeData';
import { HomeEcgList } from './HomeEcgList';
import { VideoLink } from './VideoLink';
import { VisitChooser } from './VisitChooser';

/**
 * The clinician's view during the video visit: whose record, a bar that stays in view (the visit and
 * its video link, "Mark as reviewed" with its note, "Print / save as PDF"), the latest vitals with the
 * change since the last visit, NEWS2 and the guideline flags, trends, what a device sends now, and who
 * reviewed. The same page, in print media, is the PDF visit summary (see review.css, @media print).
 */
export function ReviewScreen() {
  const client = useClient();
  const [chosen, setChosen] = useState<{ patient: Patient; encounter: Encounter | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const [printing, setPrinting] = useState(false);
  // While the PDF is made the screen is laid out at the A4 page's width, so the charts redraw to fit it.
  const [printLayout, setPrintLayout] = useState(false);
  const patient = chosen?.patient ?? null;
  const vitals = usePatientVitals(patient?.id ?? null);
  const trends = useTrendHistory(patient?.id ?? null);
  const remote = useRemoteObservations(patient?.id ?? null);
  const home = useHomeData(patient?.id ?? null);
  const rules = useLoad(() => client.invoke('reviews.rules', {}), [client]);
  const encounterId = chosen?.encounter?.id ?? null;
  const reviews = useLoad(encounterId ? () => client.invoke('reviews.list', { encounterId }) : null, [
    client,
    encounterId,
  ]);
  const flags = useMemo(
    () => reviewFlags(vitals.latest, rules.data?.bpGuideline ?? DEFAULT_BP_GUIDELINE),
    [vitals.latest, rules.data],
  );
  const redFlags = flags.filter((f) => f.level === 'red');
  const corrected = useCallback(
    (next: Patient) => setChosen((c) => (c && c.patient.id === next.id ? { ...c, patient: next } : c)),
    [],
  );
  // A review note written during the call and not yet signed off: changing patient asks first.
  const reviewRef = useRef<HTMLDivElement>(null);
  const [leavingNote, setLeavingNote] = useState<string | null>(null);
  const noteField = () => reviewRef.current?.querySelector<HTMLTextAreaElement>('#review-comment') ?? null;
  const askToChangePatient = () => {
    const note = noteField()?.value.trim() ?? '';
    if (note) setLeavingNote(note);
    else setChosen(null);
  };

  // Found through the search: open the visit in progress, if the patient has one.
  useEffect(() => {
    if (!chosen || chosen.encounter) return;
    let current = true;
    client.invoke('encounters.current', { patientId: chosen.patient.id }).then(
      (encounter) => {
        if (current && encounter)
          setChosen((c) => (c && c.patient.id === encounter.patientId ? { ...c, encounter } : c));
      },
      (e: unknown) => current && setNotice(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [client, chosen]);

  if (!chosen || !patient) {
    return (
      <div className="review">
        <h1 className="visually-hidden">Review</h1>
        <VisitChooser
          onChoose={(p, encounter) => {
            setNotice(null);
            setChosen({ patient: p, encounter });
          }}
        />
      </div>
    );
  }

  const { encounter } = chosen;

  async function print() {
    if (!patient) return;
    setPrinting(true);
    setPrinted(null);
    setPrintLayout(true);
    try {
      // Let the charts see the narrower width and redraw before the page is printed.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const result = await client.invoke('reviews.printSummary', {
        patientId: patient.id,
        ...(encounter ? { encounterId: encounter.id } : {}),
      });
      setPrinted(
        result.savedTo ? `Saved the summary (${result.pages} pages) to ${result.savedTo}` : 'Not saved.',
      );
    } catch (e) {
      // A window that cannot make PDFs itself (a visible Chromium) prints through the browser's dialog.
      if (e instanceof Error && 'code' in e && e.code === 'UNAVAILABLE') window.print();
      else setPrinted(errorText(e));
    } finally {
      setPrintLayout(false);
      setPrinting(false);
    }
  }

  return (
    <div
      className={printLayout ? 'review print-layout' : 'review'}
      data-testid="review-screen"
      ref={reviewRef}
    >
      <h1 className="visually-hidden">Review</h1>
      <p className="print-only print-title">Visit summary</p>
      <PatientBanner patient={patient} onChange={askToChangePatient} onCorrected={corrected} />
      {leavingNote !== null && (
        <ConfirmDialog
          title="Change patient?"
          body={(id) => (
            <p id={id}>
              Your review note for {patientName(patient)} is not saved: “{leavingNote}” Changing patient loses
              it.
            </p>
          )}
          cancelLabel="Stay and finish the review"
          onCancel={() => {
            setLeavingNote(null);
            // Back to the note, where she was writing.
            requestAnimationFrame(() => noteField()?.focus());
          }}
          actions={
            <button
              type="button"
              className="danger"
              onClick={() => {
                setLeavingNote(null);
                setChosen(null);
              }}
            >
              Change patient without saving
            </button>
          }
          trapKeys
          testId="review-change-patient-dialog"
        />
      )}
      <div className="review-bar" data-testid="review-bar">
        <div className="review-bar-visit">
          <span className="review-visit" data-testid="review-visit">
            {encounter ? (
              <>
                Visit since <Time iso={encounter.start} />
                {encounter.reason ? ` · ${encounter.reason}` : ''}
              </>
            ) : (
              'No visit in progress'
            )}
          </span>
          <VideoLink encounter={encounter} allowedHosts={rules.data?.videoLinkHosts ?? []} />
        </div>
        <ReviewAction encounter={encounter} redFlags={redFlags} onSigned={reviews.reload} />
        <div className="review-bar-print no-print">
          <button type="button" className="secondary" onClick={() => void print()} disabled={printing}>
            {printing ? 'Making the PDF…' : 'Print / save as PDF'}
          </button>
          {printed && (
            <span className="hint" role="status" data-testid="print-status">
              {printed}
            </span>
          )}
        </div>
      </div>
      {(notice || vitals.error || rules.error) && (
        <p className="error" role="alert">
          {notice ?? vitals.error ?? rules.error}
        </p>
      )}
      <div className="review-body">
        <div className="review-main">
          <LatestVitalsTable
            latest={vitals.latest}
            historyByCode={trends.byCode}
            flags={flags}
            home={home.observations}
          />
          <TrendPanel
            byCode={trends.byCode}
            error={trends.error}
            remote={remote}
            home={home}
            visit={encounter ? { id: encounter.id, start: encounter.start } : null}
          />
          <HomeEcgList patientId={patient.id} ecgs={home.ecgs} />
        </div>
        <aside className="review-side">
          <News2Card input={news2InputOf(vitals.latest)} />
          <GuidelineFlags flags={flags} />
          <ReviewHistory encounter={encounter} reviews={reviews.data} error={reviews.error} />
          <LivePanel />
        </aside>
      </div>
    </div>
  );
}
