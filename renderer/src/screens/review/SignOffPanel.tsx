import { useState, type FormEvent } from 'react';
import type { GuidelineFlag } from '../../../../shared/clinical/guidelines';
import type { Review } from '../../../../shared/ipc/channels/reviews';
import type { Encounter } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { Time } from './Time';

const COMMENT_MAX = 1000;

/**
 * "Mark as reviewed" in the review bar: the clinician signs off the visit's vitals with a note, which
 * is required while a flag is red (main checks it again). Each sign-off is kept as written.
 */
export function ReviewAction(props: {
  encounter: Encounter | null;
  redFlags: readonly GuidelineFlag[];
  onSigned: () => void;
}) {
  const client = useClient();
  const { encounter, redFlags } = props;
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const required = redFlags.length > 0;

  if (!encounter) return <span className="hint">No visit in progress to sign off.</span>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!encounter) return;
    if (required && !comment.trim()) {
      setMessage(`A review note is required: ${redFlags.map((f) => f.category).join(', ')} is flagged red.`);
      return;
    }
    setSaving(true);
    try {
      await client.invoke('reviews.signOff', {
        encounterId: encounter.id,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setComment('');
      setMessage(null);
      props.onSigned();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="signoff-form no-print" onSubmit={submit} data-testid="review-signoff-form">
      <label htmlFor="review-comment" className={required ? 'note-required' : ''}>
        {required ? 'Review note (required: red flag)' : 'Review note (optional)'}
      </label>
      <textarea
        id="review-comment"
        rows={1}
        maxLength={COMMENT_MAX}
        value={comment}
        aria-required={required}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? 'review-comment-error' : undefined}
        onChange={(e) => {
          setComment(e.target.value);
          setMessage(null);
        }}
      />
      <button type="submit" className="primary" disabled={saving}>
        {saving ? 'Signing…' : 'Mark as reviewed'}
      </button>
      {message && (
        <p className="field-error signoff-error" id="review-comment-error" role="alert">
          {message}
        </p>
      )}
    </form>
  );
}

/** Who reviewed the visit and when, with their notes (also on the printed summary). */
export function ReviewHistory(props: {
  encounter: Encounter | null;
  reviews: readonly Review[] | null;
  error: string | null;
}) {
  return (
    <section
      className="panel review-signoff"
      aria-labelledby="review-signoff-heading"
      data-testid="review-signoff"
    >
      <h2 id="review-signoff-heading">Reviewed</h2>
      {!props.encounter ? (
        <p className="hint">This patient has no visit in progress, so there is no visit to sign off.</p>
      ) : (
        <>
          {props.error && (
            <p className="error" role="alert">
              {props.error}
            </p>
          )}
          <ol className="review-list" data-testid="review-list">
            {(props.reviews ?? []).map((r) => (
              <li key={r.id} data-testid="review-entry">
                <span className="review-who">
                  Reviewed by {r.signedByName} ({r.signedByRole}) · <Time iso={r.signedAt} />
                </span>
                {r.comment && <span className="review-comment">“{r.comment}”</span>}
              </li>
            ))}
          </ol>
          {props.reviews?.length === 0 && <p className="hint">Not reviewed yet.</p>}
        </>
      )}
    </section>
  );
}
