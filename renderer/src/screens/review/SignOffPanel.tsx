import { useState, type FormEvent } from 'react';
import type { Encounter } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { formatDateTime } from '../../ui/format';
import { useLoad } from '../../ui/useLoad';

const COMMENT_MAX = 1000;

/**
 * "Reviewed": the clinician signs off the visit's vitals, with an optional comment. Each sign-off is
 * kept as it was written (a later one is added, never replaces), with who and when.
 */
export function SignOffPanel(props: { encounter: Encounter | null }) {
  const client = useClient();
  const { encounter } = props;
  const reviews = useLoad(
    encounter ? () => client.invoke('reviews.list', { encounterId: encounter.id }) : null,
    [client, encounter?.id],
  );
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!encounter) return;
    if (comment.length > COMMENT_MAX) {
      setMessage(`Keep the comment under ${COMMENT_MAX} characters.`);
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
      reviews.reload();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section
      className="panel review-signoff"
      aria-labelledby="review-signoff-heading"
      data-testid="review-signoff"
    >
      <h2 id="review-signoff-heading">Review sign-off</h2>
      {!encounter ? (
        <p className="hint">This patient has no visit in progress, so there is no visit to sign off.</p>
      ) : (
        <>
          {reviews.error && (
            <p className="error" role="alert">
              {reviews.error}
            </p>
          )}
          <ol className="review-list" data-testid="review-list">
            {(reviews.data ?? []).map((r) => (
              <li key={r.id} data-testid="review-entry">
                <span className="review-who">
                  Reviewed by {r.signedByName} ({r.signedByRole}) · {formatDateTime(r.signedAt)}
                </span>
                {r.comment && <span className="review-comment">“{r.comment}”</span>}
              </li>
            ))}
          </ol>
          {reviews.data?.length === 0 && <p className="hint">Not reviewed yet.</p>}
          <form className="signoff-form no-print" onSubmit={submit}>
            <label htmlFor="review-comment">Comment (optional)</label>
            <textarea
              id="review-comment"
              rows={3}
              maxLength={COMMENT_MAX}
              value={comment}
              onChange={(e) => {
                setComment(e.target.value);
                setMessage(null);
              }}
            />
            <button type="submit" className="primary" disabled={saving}>
              {saving ? 'Signing…' : 'Mark as reviewed'}
            </button>
            {message && (
              <p className="field-error" role="alert">
                {message}
              </p>
            )}
          </form>
        </>
      )}
    </section>
  );
}
