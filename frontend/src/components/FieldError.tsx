import { ApiError } from '../api/client';

/** The per-field errors of a 400 (or the `field` of a 409) by field name; the first one per field. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError && error.errors) for (const e of error.errors) out[e.field] ??= e.message;
  return out;
}

export function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  return errors[field] ? (
    <span className="small" role="alert" style={{ color: 'var(--crit)' }} data-field={field}>
      {errors[field]}
    </span>
  ) : null;
}
