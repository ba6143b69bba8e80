import type { Observation } from '../../../shared/records';
import { formatDateTime } from './format';

const STATUS_WORDS: Record<Observation['status'], string> = {
  final: 'Recorded',
  amended: 'Corrected',
  'entered-in-error': 'Entered in error',
};

/** The versions of one measurement, with who made each and why: the intake and review screens alike. */
export function VersionList(props: {
  versions: readonly Observation[];
  describe: (o: Observation) => string;
  /** Newest first (the nurse correcting it); otherwise oldest first (the reviewer reading the story). */
  newestFirst?: boolean;
  /** Say whether each version came from a device (which) or was typed in. */
  showMethod?: boolean;
}) {
  const shown = props.newestFirst ? [...props.versions].reverse() : props.versions;
  return (
    <ol reversed={props.newestFirst}>
      {shown.map((v) => (
        <li key={v.id} className={`version status-${v.status}`}>
          <span className="version-status">{STATUS_WORDS[v.status]}</span>{' '}
          {v.status !== 'entered-in-error' && props.describe(v)}{' '}
          <span className="version-meta">
            {formatDateTime(v.recordedAt)} by {v.recordedByName ?? v.recordedBy}
            {props.showMethod && <> · {methodWords(v)}</>}
            {v.reason && <> — “{v.reason}”</>}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** "device Nonin 3150" or "typed in". */
export function methodWords(o: Observation): string {
  if (o.method !== 'device' || !o.device) return 'typed in';
  const d = o.device;
  return `device ${[d.manufacturer, d.model].filter(Boolean).join(' ') || d.driver}`;
}
