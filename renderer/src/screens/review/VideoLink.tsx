import { useState } from 'react';
import type { Encounter } from '../../../../shared/records';
import { checkVideoLink, type VideoHostRule } from '../../../../shared/visit/video-link';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

/**
 * The visit's video link: its host shown, opened by main (system browser in Electron, a new tab in
 * the Chromium host) after main checks it; a link the rule refuses is shown with the reason, not opened.
 */
export function VideoLink(props: { encounter: Encounter | null; allowedHosts: VideoHostRule }) {
  const client = useClient();
  const [message, setMessage] = useState<string | null>(null);
  const link = props.encounter?.joinUrl;
  if (!props.encounter) return null;
  if (!link)
    return (
      <span className="hint video-link" data-testid="video-link">
        No video link for this visit
      </span>
    );
  const checked = checkVideoLink(link, props.allowedHosts);
  const encounterId = props.encounter.id;
  return (
    <span className="video-link" data-testid="video-link">
      {checked.ok ? (
        <button
          type="button"
          className="no-print"
          title={checked.url}
          onClick={() => {
            setMessage(null);
            client.invoke('visits.openVideoLink', { encounterId }).then(
              (r) => setMessage(`Opened ${r.host}`),
              (e: unknown) => setMessage(errorText(e)),
            );
          }}
        >
          Join video · {checked.host}
        </button>
      ) : (
        <span className="field-error">
          {/* The unreadable-host-list reason already begins "No video link is opened". */}
          {checked.reason.startsWith('No video link') ? '' : 'Video link not opened: '}
          {checked.reason}
        </span>
      )}
      <span className="print-only">Video link: {checked.ok ? checked.host : 'not valid'}</span>
      {message && (
        <span className="hint" role="status" data-testid="video-link-status">
          {' '}
          {message}
        </span>
      )}
    </span>
  );
}
