/**
 * The row loop the CGM CSV readers share: find the header, read each row into a reading or a problem
 * (one line each, summarised past a limit), and warn when the export holds no readings at all. Each
 * layout says how its header is recognised and how a row is read.
 */
import type { HomeRecord } from '../../../shared/home-data/record';
import type { HomeImportEvent, HomeImportInput } from './events';
import { ProblemLog } from './problems';
import { readCsvRows, SourceError } from './source-file';

export type CgmRowResult = { record: HomeRecord } | { problem: string } | undefined;

export interface CgmCsvLayout<Columns> {
  /** The columns, if this row is the header; undefined to keep looking; throws if the file is not this kind. */
  header(cells: readonly string[], line: number): Columns | undefined;
  isBlank(cells: readonly string[]): boolean;
  readRow(cells: readonly string[], columns: Columns): CgmRowResult;
  /** Title of the summary of skipped rows, e.g. "Dexcom readings skipped". */
  skipped: string;
  /** Why the file is refused when no header was found. */
  noHeader: string;
  /** The warning when the export holds no readings. */
  noReadings: string;
}

export async function* readCgmCsv<Columns>(
  input: HomeImportInput,
  layout: CgmCsvLayout<Columns>,
): AsyncGenerator<HomeImportEvent> {
  const problems = new ProblemLog();
  let columns: Columns | undefined;
  let readings = 0;
  for await (const item of readCsvRows(input, ',')) {
    if (item.kind === 'progress') {
      yield item.event;
      continue;
    }
    if (!columns) {
      columns = layout.header(item.cells, item.line);
      continue;
    }
    if (layout.isBlank(item.cells)) continue;
    const result = layout.readRow(item.cells, columns);
    if (!result) continue;
    if ('problem' in result) {
      const event = problems.report(layout.skipped, {
        severity: 'error',
        at: item.line,
        message: `Line ${item.line}: ${result.problem}; the reading is not imported.`,
      });
      if (event) yield event;
      continue;
    }
    readings += 1;
    yield { type: 'record', record: result.record };
  }
  if (!columns) throw new SourceError(layout.noHeader);
  yield* problems.summaries();
  if (readings === 0) {
    yield { type: 'problem', problem: { severity: 'warning', message: layout.noReadings } };
  }
}
