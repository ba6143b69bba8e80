/**
 * Bench output: one line per figure, `bench <name> <figure> <value> <unit> target <op> <target>`,
 * and the same figures written to bench/results/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type TargetOp = '<=' | '<' | '>=' | '>' | '==';

export interface Figure {
  figure: string;
  value: number;
  unit: string;
  op: TargetOp;
  target: number;
  met: boolean;
}

export function meets(value: number, op: TargetOp, target: number): boolean {
  switch (op) {
    case '<=':
      return value <= target;
    case '<':
      return value < target;
    case '>=':
      return value >= target;
    case '>':
      return value > target;
    case '==':
      return value === target;
  }
}

export function createReport(name: string) {
  const figures: Figure[] = [];
  return {
    figure(figure: string, value: number, unit: string, op: TargetOp, target: number): Figure {
      const rounded = Number(value.toPrecision(4));
      const entry = { figure, value: rounded, unit, op, target, met: meets(value, op, target) };
      figures.push(entry);
      console.log(`bench ${name} ${figure} ${rounded} ${unit} target ${op} ${target}`);
      return entry;
    },
    write(extra: Record<string, unknown> = {}): string {
      const dir = path.resolve('bench/results');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify(
          { name, measuredAt: new Date().toISOString(), node: process.version, figures, ...extra },
          null,
          2,
        ) + '\n',
      );
      return file;
    },
  };
}

/** Percentile of a list of numbers (nearest-rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
