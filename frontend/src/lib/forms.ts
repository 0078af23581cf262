import type { FormEvent } from 'react';
import { AppError, type FieldError } from '../api/client';

/** fieldError is what the server (or a check before sending) refused about one field of a form. */
export function fieldError(error: unknown, name: string): FieldError | undefined {
  return error instanceof AppError ? error.fields.find((f) => f.field === name) : undefined;
}

/** handleSubmit makes a form's submit handler: the page stays where it is, and send runs (a mutation). */
export function handleSubmit(send: () => void) {
  return (e: FormEvent) => {
    e.preventDefault();
    send();
  };
}

/**
 * FormCheck is a form refused before it was sent, for the reasons the server
 * would give (its 422, with the same field names).
 */
export class FormCheck extends AppError {
  constructor(code: string, fields: FieldError[]) {
    super(code, 422, fields);
  }
}

/** required is a field left empty, as a FormCheck lists it. */
export const required = (field: string): FieldError => ({ field, code: 'required', message: '' });
