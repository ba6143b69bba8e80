import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Encounter } from '../../../../shared/records';
import { checkVideoLink } from '../../../../shared/visit/video-link';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';
import { formatTime } from '../../ui/format';
import { useLoad } from '../../ui/useLoad';
import { VideoLink } from '../review/VideoLink';
import { FinishVisitDialog } from './FinishVisitDialog';
import { typedButUnsaved } from './unsaved-values';
import { VITAL_FIELDS } from './vital-fields';

/** Anything written like "scheme:…" is taken as a link (and checked), never silently as a visit id. */
const LOOKS_LIKE_LINK = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The telemedicine visit the vitals belong to: attach the visit id or join link from the scheduling
 * system, or see the one in progress, add or change its video link and open it. Vitals can still be
 * taken before a visit starts. Finishing asks first, listing what is typed but not saved or not sent.
 */
export function VisitPanel(props: {
  patientId: string;
  encounter: Encounter | null;
  onChanged: (encounter: Encounter | null) => void;
  /** Says what just happened, for everyone to see and screen readers to announce. */
  onDone?: (message: string) => void;
}) {
  const client = useClient();
  const [link, setLink] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [editingLink, setEditingLink] = useState(false);
  const [finishing, setFinishing] = useState<{ unsaved: string[]; unsent: string[] } | null>(null);
  // When a dialog or form closes, the button that opened it may be gone (a finished visit shows the
  // start form): the keyboard goes to the control the next step starts from, never to the page body.
  const focusAfter = useRef<string | null>(null);
  const setFocusAfter = (id: string) => {
    focusAfter.current = id;
  };
  // After each render: the control asked for, once it is on screen.
  useEffect(() => {
    const target = focusAfter.current ? document.getElementById(focusAfter.current) : null;
    if (!target) return;
    target.focus();
    focusAfter.current = null;
  });
  const rules = useLoad(() => client.invoke('reviews.rules', {}), [client]);
  const hosts = rules.data?.videoLinkHosts ?? [];
  const { encounter } = props;

  /** The policy's reason a link will not be opened, shown before anything is sent. */
  const linkProblem = (text: string): string | null => {
    const checked = checkVideoLink(text, hosts);
    return checked.ok ? null : checked.reason;
  };

  async function start(event: FormEvent) {
    event.preventDefault();
    const text = link.trim();
    const isLink = LOOKS_LIKE_LINK.test(text);
    const problem = isLink ? linkProblem(text) : null;
    if (problem) {
      setErrors({ joinUrl: problem });
      setError(`Visit not started: ${problem}`);
      return;
    }
    try {
      const started = await client.invoke('encounters.start', {
        patientId: props.patientId,
        ...(text ? (isLink ? { joinUrl: text } : { externalVisitId: text }) : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setError(null);
      setErrors({});
      props.onChanged(started);
      props.onDone?.('Visit started.');
    } catch (e) {
      setError(errorText(e));
      setErrors(fieldErrors(e));
    }
  }

  async function saveLink(event: FormEvent) {
    event.preventDefault();
    if (!encounter) return;
    const text = link.trim();
    const problem = linkProblem(text);
    if (problem) {
      setErrors({ joinUrl: problem });
      return;
    }
    try {
      const changed = await client.invoke('encounters.setVideoLink', {
        encounterId: encounter.id,
        joinUrl: text,
      });
      setErrors({});
      setError(null);
      setEditingLink(false);
      setFocusAfter('visit-link-edit');
      props.onChanged(changed);
      props.onDone?.(encounter.joinUrl ? 'Video link changed.' : 'Video link added.');
    } catch (e) {
      setErrors({ joinUrl: fieldErrors(e).joinUrl ?? errorText(e) });
    }
  }

  async function askToFinish() {
    if (!encounter) return;
    const unsaved = typedButUnsaved(document.querySelector('.vitals-grid'));
    let unsent: string[] = [];
    try {
      const latest = await client.invoke('observations.latest', { patientId: props.patientId });
      const ofVisit = latest.filter((o) => o.encounterId === encounter.id);
      const sync = await client.invoke('sync.status', { observationIds: ofVisit.map((o) => o.id) });
      if (sync.configured) {
        const waiting = new Set(
          sync.observations
            .filter((s) => s.state === 'pending' || s.state === 'rejected')
            .map((s) => s.observationId),
        );
        unsent = ofVisit
          .filter((o) => waiting.has(o.id))
          .map((o) => VITAL_FIELDS.find((f) => f.kind === o.kind)?.label ?? o.kind);
      }
    } catch {
      // The question is still asked with what is known; finishing stays the nurse's choice.
    }
    setFinishing({ unsaved, unsent });
  }

  async function finish() {
    if (!encounter) return;
    setFinishing(null);
    try {
      await client.invoke('encounters.finish', { encounterId: encounter.id });
      setFocusAfter('visit-link');
      props.onChanged(null);
      props.onDone?.('Visit finished.');
    } catch (e) {
      setError(errorText(e));
    }
  }

  const linkError = errors.joinUrl;
  const linkField = (id: string, label: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={link}
        autoComplete="off"
        onChange={(e) => setLink(e.target.value)}
        aria-invalid={linkError || errors.externalVisitId ? true : undefined}
        aria-describedby={linkError ? `${id}-error` : undefined}
      />
      {linkError && (
        <span className="field-error" id={`${id}-error`}>
          {linkError}
        </span>
      )}
    </div>
  );

  if (encounter) {
    return (
      <section className="visit-panel in-progress" aria-label="Visit" data-testid="visit-panel">
        <span className="visit-state">Visit in progress since {formatTime(encounter.start)}</span>
        {encounter.externalVisitId && <span> · Visit {encounter.externalVisitId}</span>}
        {encounter.reason && <span> · {encounter.reason}</span>}
        {encounter.joinUrl && <VideoLink encounter={encounter} allowedHosts={hosts} />}
        {editingLink ? (
          <form onSubmit={saveLink} className="visit-form">
            {linkField('visit-video-link', 'Video link (https)')}
            <button type="submit">Save link</button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setEditingLink(false);
                setErrors({});
                setFocusAfter('visit-link-edit');
              }}
            >
              Cancel
            </button>
          </form>
        ) : (
          <button
            id="visit-link-edit"
            type="button"
            className="secondary"
            onClick={() => {
              setLink(encounter.joinUrl ?? '');
              setErrors({});
              setEditingLink(true);
            }}
          >
            {encounter.joinUrl ? 'Change video link' : 'Add video link'}
          </button>
        )}
        <button id="visit-finish" type="button" onClick={() => void askToFinish()}>
          Finish visit
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {finishing && (
          <FinishVisitDialog
            unsaved={finishing.unsaved}
            unsent={finishing.unsent}
            onFinish={() => void finish()}
            onCancel={() => {
              setFinishing(null);
              setFocusAfter('visit-finish');
            }}
          />
        )}
      </section>
    );
  }

  return (
    <section className="visit-panel" aria-label="Visit" data-testid="visit-panel">
      <form onSubmit={start} className="visit-form">
        {linkField('visit-link', 'Visit id or join link')}
        <div className="field">
          <label htmlFor="visit-reason">Reason for visit</label>
          <input
            id="visit-reason"
            value={reason}
            autoComplete="off"
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <button type="submit">Start visit</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
