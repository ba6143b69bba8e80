import { useState } from 'react';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { readingValuesText } from '../../../../shared/devices/reading-words';
import { errorText } from '../../ui/errors';
import { formatDateTime } from '../../ui/format';
import { isHeld, type UserMatch } from './live-reading-state';

/**
 * "From the device's memory": readings a device sent from storage (a backlog on connect, a meter's
 * records), each with its own time. Never a card's live value; the nurse accepts the ones of this visit.
 */
export function DeviceMemoryList(props: {
  readings: readonly DeviceReading[];
  deviceName: (reading: DeviceReading) => string;
  matches: readonly UserMatch[];
  patientLabel: string;
  accept: (reading: DeviceReading) => Promise<void>;
  fileHere: (reading: DeviceReading) => Promise<void>;
  discard: (reading: DeviceReading) => Promise<void>;
}) {
  const [message, setMessage] = useState<string | null>(null);
  if (props.readings.length === 0) return null;
  const run = (action: () => Promise<void>) => {
    setMessage(null);
    action().catch((e: unknown) =>
      setMessage(e instanceof Error && e.name === 'Error' ? e.message : errorText(e)),
    );
  };
  const newestFirst = [...props.readings].sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  return (
    <section
      className="panel device-memory"
      aria-labelledby="device-memory-heading"
      data-testid="device-memory"
    >
      <h2 id="device-memory-heading">From the device’s memory</h2>
      <p className="hint">
        Stored readings, with the time each device gave. Accept only those taken at this visit.
      </p>
      <ul>
        {newestFirst.map((r) => {
          const held = isHeld(r, props.matches);
          const name = props.deviceName(r);
          return (
            <li key={r.readingId} data-testid="device-memory-item">
              <span className="memory-when">{formatDateTime(r.measuredAt)}</span>{' '}
              <span className="memory-values">{readingValuesText(r.values)}</span>{' '}
              <span className="hint">
                {name}
                {r.deviceUser !== undefined ? ` · user ${r.deviceUser}` : ''}
              </span>
              {r.notes.length > 0 && <span className="memory-notes"> · {r.notes.join('; ')}</span>}
              <span className="actions">
                {held ? (
                  <>
                    <button type="button" onClick={() => run(() => props.fileHere(r))}>
                      File to {props.patientLabel}
                    </button>
                    <button type="button" onClick={() => run(() => props.discard(r))}>
                      Discard
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    aria-label={`Accept ${readingValuesText(r.values)} from ${formatDateTime(r.measuredAt)}`}
                    onClick={() => run(() => props.accept(r))}
                  >
                    Accept
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}
