import { useEffect, useId, useMemo, useState } from 'react';
import type { CsvColumnMapping, CsvTimeFormat } from '../../../../shared/home-data/csv-mapping';
import {
  checkCsvMappingDraft,
  CSV_COLUMN_ROLE_LABELS,
  CSV_COLUMN_ROLES,
  CSV_TIME_FORMAT_LABELS,
  draftFromMapping,
  measureWords,
  proposeCsvMappingDraft,
  timeFormatsFitting,
  type CsvColumnRole,
  type CsvLayout,
  type CsvMappingDraft,
} from '../../../../shared/home-data/csv-mapping-form';
import { homeMeasureSchema, type HomeMeasure } from '../../../../shared/home-data/record';
import { HOME_MEASURE_LABELS, homeValueText } from '../../../../shared/home-data/words';
import type { ResponseOf } from '../../../../shared/ipc';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

type TriedRows = ResponseOf<'homeData.tryMapping'>['rows'];

const OFFSETS = Array.from({ length: 27 }, (_, i) => (i - 12) * 60);
const offsetText = (minutes: number): string =>
  `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:00`;
const dateTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One home measure for a whole file or for one word of its measure column, or none chosen yet. */
function MeasureSelect(props: {
  value: HomeMeasure | undefined;
  onChange: (measure: HomeMeasure | undefined) => void;
  testId?: string;
}) {
  return (
    <select
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.target.value === '' ? undefined : (e.target.value as HomeMeasure))}
      data-testid={props.testId}
    >
      <option value="">— choose —</option>
      {homeMeasureSchema.options.map((m) => (
        <option key={m} value={m}>
          {HOME_MEASURE_LABELS[m]}
        </option>
      ))}
    </select>
  );
}

/**
 * "Any other CSV": the nurse says what each column is (or one measure and unit for the whole file), sees
 * the first rows as they would import, and confirms. The mapping is remembered for this layout once the
 * file imports, so the next file of the same layout goes straight to the preview.
 */
export function CsvMappingForm(props: {
  fileName: string;
  fileToken: string;
  layout: CsvLayout;
  units: Record<string, string[]>;
  remembered: CsvColumnMapping | null;
  onConfirm: (mapping: CsvColumnMapping) => void;
  onCancel: () => void;
}) {
  const client = useClient();
  const { layout } = props;
  const ids = useId();
  const [draft, setDraft] = useState<CsvMappingDraft>(() =>
    props.remembered
      ? draftFromMapping(props.remembered, layout.header.length)
      : proposeCsvMappingDraft(layout),
  );
  const [triedFor, setTried] = useState<
    { key: string; rows: TriedRows } | { key: string; error: string } | null
  >(null);
  const check = useMemo(() => checkCsvMappingDraft(draft, layout, props.units), [draft, layout, props.units]);
  const mappingJson = check.ok ? JSON.stringify(check.mapping) : null;

  // The sample rows as main would read them with this mapping (units, plausibility, dates).
  useEffect(() => {
    if (!mappingJson) return;
    let live = true;
    const timer = setTimeout(() => {
      client
        .invoke('homeData.tryMapping', {
          fileToken: props.fileToken,
          mapping: JSON.parse(mappingJson) as CsvColumnMapping,
        })
        .then(
          (answer) => live && setTried({ key: mappingJson, rows: answer.rows }),
          (e: unknown) => live && setTried({ key: mappingJson, error: errorText(e) }),
        );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, mappingJson, props.fileToken]);

  const setRole = (column: number, role: CsvColumnRole) =>
    setDraft((d) => {
      const roles = d.roles.slice();
      roles[column] = role;
      const next = { ...d, roles };
      if (role === 'time') {
        const fitting = timeFormatsFitting(layout.sampleRows.map((r) => r[column] ?? ''));
        if (fitting[0] && !fitting.includes(d.timeFormat)) next.timeFormat = fitting[0];
      }
      return next;
    });
  const timeColumn = draft.roles.indexOf('time');
  const fitting =
    timeColumn === -1 ? [] : timeFormatsFitting(layout.sampleRows.map((r) => r[timeColumn] ?? ''));
  const ambiguous = fitting.includes('dmy') && fitting.includes('mdy');
  const hasMeasureColumn = draft.roles.includes('measure');
  const hasUnitColumn = draft.roles.includes('unit');
  const words = measureWords(draft, layout);
  // Only the answer for the mapping as it stands now: an older one would show rows read another way.
  const tried = triedFor && triedFor.key === mappingJson ? triedFor : null;
  const rows = tried && 'rows' in tried ? tried.rows : [];
  const rowProblems = rows.filter((r) => 'problem' in r).length;

  return (
    <form
      className="csv-mapping"
      data-testid="csv-mapping"
      onSubmit={(event) => {
        event.preventDefault();
        if (check.ok) props.onConfirm(check.mapping);
      }}
    >
      <p>
        <strong>{props.fileName}</strong> is a CSV file of no kind this app knows. Say once what each column
        holds; files with the same columns are then read the same way.
      </p>
      <table className="home-data-table csv-mapping-columns">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">First values</th>
            <th scope="col">It holds</th>
          </tr>
        </thead>
        <tbody>
          {layout.header.map((name, column) => (
            <tr key={column}>
              <th scope="row" id={`${ids}-col-${column}`}>
                {name || `Column ${column + 1}`}
              </th>
              <td className="csv-mapping-samples">
                {layout.sampleRows
                  .slice(0, 3)
                  .map((r) => (r[column] ?? '').trim())
                  .filter((v) => v !== '')
                  .join(' · ')}
              </td>
              <td>
                <select
                  aria-labelledby={`${ids}-col-${column}`}
                  value={draft.roles[column] ?? 'ignore'}
                  onChange={(e) => setRole(column, e.target.value as CsvColumnRole)}
                  data-testid={`csv-role-${column}`}
                >
                  {CSV_COLUMN_ROLES.map((role) => (
                    <option key={role} value={role}>
                      {CSV_COLUMN_ROLE_LABELS[role]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="csv-mapping-file">
        <label>
          Date format
          <select
            value={draft.timeFormat}
            onChange={(e) => setDraft((d) => ({ ...d, timeFormat: e.target.value as CsvTimeFormat }))}
            data-testid="csv-time-format"
          >
            {(Object.keys(CSV_TIME_FORMAT_LABELS) as CsvTimeFormat[]).map((f) => (
              <option key={f} value={f}>
                {CSV_TIME_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Times are in
          <select
            value={draft.utcOffsetMinutes ?? ''}
            onChange={(e) =>
              setDraft((d) => {
                const { utcOffsetMinutes: _old, ...rest } = d;
                return e.target.value === '' ? rest : { ...rest, utcOffsetMinutes: Number(e.target.value) };
              })
            }
            data-testid="csv-time-zone"
          >
            <option value="">this workstation’s time zone</option>
            {OFFSETS.map((m) => (
              <option key={m} value={m}>
                {offsetText(m)}
              </option>
            ))}
          </select>
        </label>
        {!hasMeasureColumn && (
          <label>
            Every row is
            <MeasureSelect
              value={draft.measure}
              onChange={(measure) =>
                setDraft((d) => {
                  const { measure: _old, ...rest } = d;
                  return measure ? { ...rest, measure } : rest;
                })
              }
              testId="csv-measure"
            />
          </label>
        )}
        {!hasUnitColumn && (
          <label>
            Unit of every value
            <input
              list={`${ids}-units`}
              value={draft.unit ?? ''}
              onChange={(e) => setDraft((d) => ({ ...d, unit: e.target.value }))}
              size={10}
              data-testid="csv-unit"
            />
            <datalist id={`${ids}-units`}>
              {(draft.measure ? (props.units[draft.measure] ?? []) : []).map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </label>
        )}
      </div>
      {ambiguous && (
        <p className="home-data-muted" data-testid="csv-ambiguous-date">
          These dates could be day first or month first: check the date format.
        </p>
      )}
      {hasMeasureColumn && words.length > 0 && (
        <fieldset className="csv-mapping-words">
          <legend>What the measure column says</legend>
          {words.map((word) => (
            <label key={word}>
              “{word}” is
              <MeasureSelect
                value={draft.measureValues[word]}
                onChange={(measure) =>
                  setDraft((d) => {
                    const measureValues = { ...d.measureValues };
                    if (measure) measureValues[word] = measure;
                    else delete measureValues[word];
                    return { ...d, measureValues };
                  })
                }
              />
            </label>
          ))}
        </fieldset>
      )}

      {!check.ok && (
        <ul className="csv-mapping-issues" role="status" data-testid="csv-mapping-issues">
          {check.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
      {check.ok && (
        <section aria-labelledby={`${ids}-rows`}>
          <h3 id={`${ids}-rows`}>The first rows as they would import</h3>
          {tried && 'error' in tried && (
            <p className="error" role="alert">
              {tried.error}
            </p>
          )}
          <table className="home-data-table" data-testid="csv-mapping-rows">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Measure</th>
                <th scope="col">Taken</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) =>
                'record' in r ? (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{HOME_MEASURE_LABELS[r.record.measure]}</td>
                    <td>{dateTime(r.record.effectiveStart)}</td>
                    <td>{homeValueText(r.record)}</td>
                  </tr>
                ) : (
                  <tr key={r.line} className="error">
                    <td>{r.line}</td>
                    <td colSpan={3}>{r.problem}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </section>
      )}
      <div className="home-data-actions">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          disabled={!check.ok || rowProblems === rows.length}
          data-testid="csv-mapping-confirm"
        >
          Use this mapping
        </button>
      </div>
    </form>
  );
}
