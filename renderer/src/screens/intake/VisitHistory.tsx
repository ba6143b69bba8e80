import { useState } from 'react';
import type { Observation } from '../../../../shared/records';
import { formatTime } from '../../ui/format';
import { VersionList } from '../../ui/VersionList';
import { EnteredInErrorForm } from './EnteredInErrorForm';
import { ObservationHistory } from './ObservationHistory';
import type { VisitSeries } from './useVisitValues';

/**
 * History of one vital in this visit: every value taken, newest first, each with its versions (who
 * entered each and when, from a device or typed), and each still valid value can be corrected or
 * marked entered in error from here, through the card's own correction and withdrawal.
 */
export function VisitHistory(props: {
  label: string;
  entries: readonly VisitSeries[];
  /** The card's newest valid value: when it is from an earlier visit, its own history is shown too. */
  latest: Observation | undefined;
  describe: (o: Observation) => string;
  onCorrect: (o: Observation) => void;
  onEnterInError: (o: Observation, reason: string) => Promise<void>;
}) {
  const { entries, latest } = props;
  const earlier = latest && !entries.some((s) => s.seriesId === latest.seriesId) ? latest : undefined;
  return (
    <section className="observation-history" aria-label={`History of ${props.label} in this visit`}>
      <h4 className="history-title">{props.label} in this visit</h4>
      {entries.length === 0 && <p className="hint">No value in this visit yet.</p>}
      <ol className="visit-values">
        {entries.map((series) => (
          <HistoryEntry
            key={series.seriesId}
            series={series}
            describe={props.describe}
            onCorrect={props.onCorrect}
            onEnterInError={props.onEnterInError}
          />
        ))}
      </ol>
      {earlier && (
        <>
          <h4 className="history-title">Newest value, from an earlier visit</h4>
          <ObservationHistory
            seriesId={earlier.seriesId}
            describe={props.describe}
            onEnterInError={(reason) => props.onEnterInError(earlier, reason)}
          />
        </>
      )}
    </section>
  );
}

function HistoryEntry(props: {
  series: VisitSeries;
  describe: (o: Observation) => string;
  onCorrect: (o: Observation) => void;
  onEnterInError: (o: Observation, reason: string) => Promise<void>;
}) {
  const { series } = props;
  const first = series.versions[0]!;
  const current = series.versions.at(-1)!;
  const withdrawn = current.status === 'entered-in-error';
  const [asking, setAsking] = useState(false);
  const id = `history-${series.seriesId}`;
  const summary = `${withdrawn ? `${props.describe(current)}, entered in error` : props.describe(current)} · taken ${formatTime(first.effectiveAt)}`;

  return (
    <li className={`history-entry${withdrawn ? ' entry-withdrawn' : ''}`} data-testid="history-entry">
      <p className="history-entry-summary" id={`${id}-summary`}>
        {summary}
      </p>
      <VersionList versions={series.versions} describe={props.describe} showMethod />
      {!withdrawn && !asking && (
        <div className="actions">
          <button type="button" aria-describedby={`${id}-summary`} onClick={() => props.onCorrect(current)}>
            Correct…
          </button>
          <button type="button" aria-describedby={`${id}-summary`} onClick={() => setAsking(true)}>
            Mark as entered in error…
          </button>
        </div>
      )}
      {asking && (
        <EnteredInErrorForm
          id={id}
          onEnterInError={(reason) => props.onEnterInError(current, reason)}
          onDone={() => setAsking(false)}
        />
      )}
    </li>
  );
}
