import type { z } from 'zod';
import { AppError } from '../../../shared/ipc';

/** Parses with zod and turns failures into a VALIDATION AppError with field issues (messages, never values). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'VALIDATION',
    'Some of the information is not in the expected form.',
    parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}
