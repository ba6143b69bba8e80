import { useState } from 'react';
import type { SignalQuality } from '../../../../shared/devices/reading';
import { errorText } from '../../ui/errors';
import type { LiveState } from './live-reading-state';

export interface LiveValue {
  readingId: string;
  /** "97 %" as the device sent it, in canonical units. */
  text: string;
  /** What the device said about the measurement ("Irregular pulse detected", a wrong clock). */
  notes: readonly string[];
  /** What the oximeter said of its signal (perfusion, artifact) with this value, when it said it. */
  signalQuality?: SignalQuality | undefined;
  deviceName: string;
  receivedAt: string;
  state: LiveState;
  /** Why it cannot be accepted now ("Last from Desk oximeter 2 min ago — disconnected"). */
  statusText?: string | undefined;
  accept: () => Promise<void>;
  /** Held readings: the nurse files it to this patient ("File to HADDAD, Samir") or discards it. */
  fileHere?: { label: string; run: () => Promise<void> } | undefined;
  discard?: (() => Promise<void>) | undefined;
}

/** Words first, bars second: the quality never rests on a colour alone. */
const SIGNAL_TEXT: Readonly<Record<SignalQuality, { words: string; bars: string }>> = {
  good: { words: 'good', bars: '▮▮▮' },
  weak: { words: 'weak', bars: '▮▮▯' },
  poor: { words: 'poor', bars: '▮▯▯' },
};

function SignalQualityBadge(props: { quality: SignalQuality; testId: string }) {
  const { words, bars } = SIGNAL_TEXT[props.quality];
  return (
    <span
      className={`live-signal signal-${props.quality}`}
      data-testid={props.testId}
      data-signal-quality={props.quality}
      aria-label={`Signal quality: ${words}`}
    >
      <span aria-hidden="true" className="signal-bars">
        {bars}
      </span>{' '}
      <span aria-hidden="true">Signal: {words}</span>
    </span>
  );
}

/** A device's live value on a vital's card: Accept only while main would accept it. */
export function LiveReading(props: { live: LiveValue; testId: string }) {
  const { live, testId } = props;
  const [message, setMessage] = useState<string | null>(null);
  const run = (action: () => Promise<void>) => {
    setMessage(null);
    action().catch((e: unknown) =>
      setMessage(e instanceof Error && e.name === 'Error' ? e.message : errorText(e)),
    );
  };
  const fresh = live.state === 'fresh';
  return (
    <div
      className={`vital-live live-${live.state}`}
      data-testid={`${testId}-live`}
      data-reading-id={live.readingId}
      data-live-state={live.state}
    >
      <span className="live-label">{fresh ? `Live from ${live.deviceName}` : `From ${live.deviceName}`}</span>
      <span className="live-value" data-testid={`${testId}-live-value`}>
        {live.text}
      </span>
      {live.signalQuality && (
        <SignalQualityBadge quality={live.signalQuality} testId={`${testId}-live-signal`} />
      )}
      {fresh && (
        <button type="button" className="primary" onClick={() => run(live.accept)}>
          Accept
        </button>
      )}
      {live.statusText && (
        <p className="live-status" data-testid={`${testId}-live-status`}>
          {live.statusText}
        </p>
      )}
      {live.state === 'held' && (
        <div className="actions live-held-actions">
          {live.fileHere && (
            <button type="button" className="primary" onClick={() => run(live.fileHere!.run)}>
              {live.fileHere.label}
            </button>
          )}
          {live.discard && (
            <button type="button" onClick={() => run(live.discard!)}>
              Discard
            </button>
          )}
        </div>
      )}
      {live.notes.length > 0 && (
        <ul
          className="device-notes"
          data-testid={`${testId}-live-notes`}
          aria-label="What the device reported"
        >
          {live.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
