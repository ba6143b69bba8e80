import { Fragment, useState } from 'react';
import type { AbnormalFlag } from '../../../../shared/clinical/abnormal';
import type { GuidelineFlag } from '../../../../shared/clinical/guidelines';
import { shownDecimals } from '../../../../shared/clinical/units';
import { VITALS } from '../../../../shared/clinical/vital-signs';
import {
  codeOfKind,
  componentValue,
  type Observation,
  type ObservationKind,
} from '../../../../shared/records';
import { describe } from '../intake/VitalCard';
import { VITAL_FIELDS, type VitalField } from '../intake/vital-fields';
import { AmendmentHistory } from './AmendmentHistory';
import { changeText, shortTime } from './short-time';
import { Time } from './Time';
import { changeSinceLastVisit, latestHomeOf } from './trends';
import type { HomeObservation } from '../../../../shared/home-data/import-summary';
import { homeSourceText, homeValueText } from '../../../../shared/home-data/words';

const FLAG_WORDS: Record<Exclude<AbnormalFlag, 'normal'>, string> = {
  'low-risk': 'Outside normal (NEWS2 1)',
  medium: 'Abnormal (NEWS2 2)',
  high: 'Very abnormal (NEWS2 3)',
};

function sourceText(o: Observation): string {
  const by = o.recordedByName ? ` by ${o.recordedByName}` : '';
  if (o.method !== 'device') return `typed in${by}`;
  const d = o.device;
  const name = d ? [d.manufacturer, d.model].filter(Boolean).join(' ') || d.driver : '';
  const serial = d?.serial ? ` (SN ${d.serial})` : '';
  return `${name || 'device'}${serial}${by}`;
}

/** Which guideline flag belongs on which row. */
const FLAG_ROW: Partial<Record<ObservationKind, string>> = {
  bloodPressure: 'bloodPressure',
  glucose: 'glucose',
  spo2: 'spo2',
  bodyTemperature: 'temperature',
  bodyWeight: 'bmi',
};

/** The numbers a change is computed on, with their unit and decimals. */
function changeParts(
  kind: ObservationKind,
): { parts: (o: Observation) => number[] | null; unit: string; decimals: number } | null {
  if (kind === 'bloodPressure')
    return {
      parts: (o) => {
        const sys = componentValue(o, 'systolic');
        const dia = componentValue(o, 'diastolic');
        return sys === undefined || dia === undefined ? null : [sys, dia];
      },
      unit: 'mmHg',
      decimals: 0,
    };
  if (kind === 'consciousness') return null;
  const decimals = kind === 'bodyTemperature' || kind === 'bodyWeight' ? 1 : 0;
  return { parts: (o) => (o.value === null ? null : [o.value]), unit: VITALS[kind].unitLabel, decimals };
}

/** A change of 0.25 kg between two weighings on a 0.05 kg scale is shown so, not as 0.3 kg. */
function changeDecimals(field: VitalField, deltas: readonly number[], usual: number): number {
  const vital = field.vital;
  if (!vital || field.shape !== 'number') return usual;
  return Math.max(usual, ...deltas.map((d) => shownDecimals(vital, Math.abs(d))));
}

/**
 * The newest value of each vital as a table (it is also the printed summary's table): value with
 * unit, NEWS2 flag, when and how (device or typed in); and, on request, every version of the value with reasons.
 */
/**
 * Under a vital not taken at the clinic, the patient's newest own value: "At home: 142 mg/dL, <time> ·
 * Dexcom Clarity (patient’s own)", on a line of its own, apart from the clinic's columns and never flagged.
 */
function HomeValueRow(props: { kind: ObservationKind; home: readonly HomeObservation[] | undefined }) {
  const h = props.home ? latestHomeOf(props.kind, props.home) : null;
  if (!h) return null;
  return (
    <tr className="latest-home-row">
      <td />
      <td colSpan={5} className="latest-home" data-testid={`latest-${props.kind}-home`}>
        At home: {homeValueText(h)}, <Time iso={h.effectiveStart} /> · {homeSourceText(h)} (patient’s own)
      </td>
      <td className="no-print" />
    </tr>
  );
}

export function LatestVitalsTable(props: {
  latest: ReadonlyMap<ObservationKind, Observation>;
  /** The patient's own values (home data): the newest is named in a row the clinic has not measured. */
  home?: readonly HomeObservation[];
  /** Each LOINC code's history (trend history), for the change since the last visit. */
  historyByCode: ReadonlyMap<string, readonly Observation[]> | null;
  flags: readonly GuidelineFlag[];
}) {
  const [open, setOpen] = useState<string | null>(null);
  const text = (field: VitalField, o: Observation) => describe(field, o, '')?.text ?? '';
  return (
    <section className="panel review-latest" aria-labelledby="review-latest-heading">
      <h2 id="review-latest-heading">Latest vitals</h2>
      <table className="vitals-table" data-testid="latest-vitals">
        <colgroup>
          <col className="c-vital" />
          <col className="c-value" />
          <col className="c-change" />
          <col className="c-flag" />
          <col className="c-time" />
          <col className="c-source" />
          <col className="c-history no-print" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Vital</th>
            <th scope="col">Value</th>
            <th scope="col">Since last visit</th>
            <th scope="col">Flag</th>
            <th scope="col">Time</th>
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
            const guideline = FLAG_ROW[field.kind]
              ? props.flags.find((f) => f.subject === FLAG_ROW[field.kind])
              : undefined;
            const how = changeParts(field.kind);
            const change =
              o && how && props.historyByCode
                ? changeSinceLastVisit(
                    o,
                    props.historyByCode.get(codeOfKind(field.kind).code) ?? [],
                    how.parts,
                  )
                : null;
            return (
              <Fragment key={field.kind}>
                <tr
                  data-testid={`latest-${field.kind}`}
                  className={`flag-row flag-row-${guideline?.level === 'red' ? 'high' : (flag ?? 'none')}`}
                >
                  <th scope="row">{field.label}</th>
                  <td className="latest-value" data-testid={`latest-${field.kind}-value`}>
                    {described?.text ?? <span className="vital-empty">Not taken</span>}
                    {o?.status === 'amended' && <span className="corrected"> (corrected)</span>}
                  </td>
                  <td className="latest-change" data-testid={`latest-${field.kind}-change`}>
                    {change && how
                      ? `${changeText(change.deltas, how.unit, changeDecimals(field, change.deltas, how.decimals))} since ${shortTime(change.since)}`
                      : ''}
                  </td>
                  <td>
                    {guideline && guideline.level !== 'normal' && (
                      <span
                        className={`gchip gchip-${guideline.level}`}
                        data-testid={`latest-${field.kind}-guideline`}
                        title={`${guideline.guideline}: ${guideline.rule}`}
                      >
                        {guideline.category} <span className="gchip-source">({guideline.guideline})</span>
                      </span>
                    )}
                    {flag && flag !== 'normal' ? (
                      <span className={`flag flag-${flag}`} data-testid={`latest-${field.kind}-flag`}>
                        {FLAG_WORDS[flag]}
                      </span>
                    ) : flag === 'normal' && !(guideline && guideline.level !== 'normal') ? (
                      'Normal'
                    ) : (
                      ''
                    )}
                  </td>
                  <td>{o ? <Time iso={o.effectiveAt} /> : ''}</td>
                  <td className="latest-source">
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
                        className="secondary small"
                        aria-expanded={open === o.seriesId}
                        onClick={() => setOpen(open === o.seriesId ? null : o.seriesId)}
                      >
                        {open === o.seriesId ? 'Hide history' : 'History'}
                        <span className="visually-hidden"> of {field.label}</span>
                      </button>
                    )}
                  </td>
                </tr>
                {!o && <HomeValueRow kind={field.kind} home={props.home} />}
                {o && open === o.seriesId && (
                  <tr className="history-row">
                    <td colSpan={8}>
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
