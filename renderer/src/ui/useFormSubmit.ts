import { useState, type FormEvent } from 'react';
import { errorText, fieldErrors } from './errors';

/**
 * A form's submit handler: clears the last errors, runs the call, and on failure keeps main's sentence
 * and its per-field messages for the form to show.
 */
export function useFormSubmit(): {
  error: string | null;
  fields: Record<string, string>;
  submitting: (action: () => Promise<void>) => (event: FormEvent) => Promise<void>;
} {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const submitting = (action: () => Promise<void>) => async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setFields({});
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
      setFields(fieldErrors(e));
    }
  };
  return { error, fields, submitting };
}
