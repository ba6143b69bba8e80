/**
 * Problems of one kind repeat (ten thousand readings in an unknown unit): the first few are reported with
 * their line, the rest are counted and reported once at the end, so the preview stays readable.
 */
import type { ImportProblem } from '../../../shared/home-data/record';
import type { HomeImportEvent } from './events';
import { SourceError } from './source-file';

const SHOWN_PER_KIND = 5;
/**
 * Kinds counted apart at most: a kind may quote the file (an unknown unit), and a file built with a new
 * one on every line must not fill memory with its counts; the rest are counted as one.
 */
export const MAX_KINDS = 500;
const OTHER_KIND = 'Other problems';
/**
 * Errors after which a reader stops. One error already blocks the import; a file built of millions of
 * bad entries (a JSON array of zeros) would otherwise keep the import thread busy for minutes.
 */
export const MAX_ERRORS = 1000;
export const TOO_MANY_ERRORS = `More than ${MAX_ERRORS.toLocaleString('en')} entries of this file could not be read, so reading stopped: it is not an export this app reads as it is. Nothing was imported.`;

export class ProblemLog {
  private readonly counts = new Map<string, { severity: ImportProblem['severity']; count: number }>();
  private errors = 0;

  /** The event to yield now, or undefined when this kind was already shown often enough. */
  report(reported: string, problem: ImportProblem): HomeImportEvent | undefined {
    if (problem.severity === 'error' && ++this.errors > MAX_ERRORS) throw new SourceError(TOO_MANY_ERRORS);
    const kind = this.counts.has(reported) || this.counts.size < MAX_KINDS ? reported : OTHER_KIND;
    const seen = this.counts.get(kind) ?? { severity: problem.severity, count: 0 };
    seen.count += 1;
    this.counts.set(kind, seen);
    return seen.count <= SHOWN_PER_KIND ? { type: 'problem', problem } : undefined;
  }

  /** Occurrences of a kind counted elsewhere (a later part of the file) and not shown one by one. */
  countMore(kind: string, severity: ImportProblem['severity'], count: number): void {
    const seen = this.counts.get(kind) ?? { severity, count: 0 };
    seen.count += count;
    this.counts.set(kind, seen);
  }

  /** How many of each kind were reported, shown or not. */
  tally(): [kind: string, severity: ImportProblem['severity'], count: number][] {
    return [...this.counts].map(([kind, { severity, count }]) => [kind, severity, count]);
  }

  /** One summary per kind whose occurrences were not all shown. */
  *summaries(): Generator<HomeImportEvent> {
    for (const [kind, { severity, count }] of this.counts) {
      if (count > SHOWN_PER_KIND) {
        yield {
          type: 'problem',
          problem: { severity, message: `${kind}: ${count - SHOWN_PER_KIND} more like this not listed.` },
        };
      }
    }
  }
}
