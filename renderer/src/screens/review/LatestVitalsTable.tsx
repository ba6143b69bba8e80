import { Fragment, useState } from 'react';
import type { AbnormalFlag } from '../../../../shared/clinical/abnormal';
import type { Observation, ObservationKind } from '../../../../shared/records';
import { formatDateTime } from '../../ui/format';
import { describe } from '../intake/VitalCard';
import { VITAL_FIELDS, type VitalField } from '../intake/vital-fields';
import { AmendmentHistory } from './AmendmentHistory';

const FLAG_WORDS: Record<Exclude<AbnormalFlag, 'normal'>, string> = {
  'low-risk': 'Outside normal (NEWS2 1)',
  medium: 'Abnormal (NEWS2 2)',
  high: 'Very abnormal (NEWS2 3)',
};

function sourceText(o: Observation): string {
  if (o.method !== 'device') return 'typed in';
  const d = o.device;
  return `device ${d ? [d.manufacturer, d.model].filter(Boolean).join(' ') || d.driver : ''}`.trim();
}

/**
 * The newest value of each vital as a table (it is also the printed summary's table): value with
 * unit, NEWS2 flag, when and how (device or typed in); and, on request, every version of the value with reasons.
 */
export function LatestVitalsTable(props: { latest: ReadonlyMap<ObservationKind, Observation> }) {
  const [open, setOpen] = useState<string | null>(null);
  const text = (field: VitalField, o: Observation) => describe(field, o, '')?.text ?? '';
  return (
    <section className="panel review-latest" aria-labelledby="review-latest-heading">
      <h2 id="review-latest-heading">Latest vitals</h2>
      <table className="vitals-table" data-testid="latest-vitals">
        <thead>
          <tr>
            <th scope="col">Vital</th>
            <th scope="col">Value</th>
            <th scope="col">Flag</th>
            <th scope="col">Measured</th>
            <th scope="col">Source</th>
            <th scope="col" className="no-print">
              <span className="visually-hidden">History</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {VITAL_FIELDS.map((field) => {
            const o = props.latest.get(field.kind);
            const described = o ? describe(field, o, '') : null;
            const flag = described?.flag;
            return (
              <Fragment key={field.kind}>
                <tr data-testid={`latest-${field.kind}`} className={`flag-row flag-row-${flag ?? 'none'}`}>
                  <th scope="row">{field.label}</th>
                  <td className="latest-value" data-testid={`latest-${field.kind}-value`}>
                    {described?.text ?? <span className="vital-empty">Not taken</span>}
                    {o?.status === 'amended' && <span className="corrected"> (corrected)</span>}
                  </td>
                  <td>
                    {flag && flag !== 'normal' ? (
                      <span className={`flag flag-${flag}`} data-testid={`latest-${field.kind}-flag`}>
                        {FLAG_WORDS[flag]}
                      </span>
                    ) : flag === 'normal' ? (
                      'Normal'
                    ) : (
                      ''
                    )}
                  </td>
                  <td>{o ? formatDateTime(o.effectiveAt) : ''}</td>
                  <td>
                    {o ? sourceText(o) : ''}
                    {o && o.deviceNotes.length > 0 && (
                      <span className="latest-device-notes" data-testid={`latest-${field.kind}-device-notes`}>
                        {' '}
                        · {o.deviceNotes.join('; ')}
                      </span>
                    )}
                  </td>
                  <td className="no-print">
                    {o && (
                      <button
                        type="button"
                        aria-expanded={open === o.seriesId}
                        onClick={() => setOpen(open === o.seriesId ? null : o.seriesId)}
                      >
                        {open === o.seriesId ? 'Hide history' : 'History'}
                        <span className="visually-hidden"> of {field.label}</span>
                      </button>
                    )}
                  </td>
                </tr>
                {o && open === o.seriesId && (
                  <tr className="history-row">
                    <td colSpan={6}>
                      <AmendmentHistory seriesId={o.seriesId} describe={(v) => text(field, v)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
