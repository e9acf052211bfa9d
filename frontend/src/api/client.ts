/**
 * HTTP client for the gateway. Same-origin requests with the session cookie; every state-changing
 * request carries the CSRF token (cookie XSRF-TOKEN echoed in the X-XSRF-TOKEN header). Errors
 * become ApiError with the backend's stable {code, message}.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly service?: string,
    /** per-field validation errors of a 400 body, and the `field` of a 409 */
    readonly errors?: Array<{ field: string; message: string }>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** Makes sure the XSRF-TOKEN cookie exists: the gateway sets it on any response of its browser chain. */
export async function ensureCsrfToken(): Promise<string> {
  let token = readCookie('XSRF-TOKEN');
  if (!token) {
    await fetch('/actuator/health', { credentials: 'same-origin' }).catch(() => undefined);
    token = readCookie('XSRF-TOKEN');
  }
  if (!token) throw new ApiError(0, 'csrf_unavailable', 'Could not get a CSRF token from the server.');
  return token;
}

export const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export interface RequestOptions {
  method?: string;
  body?: unknown;
  form?: Record<string, string>;
  signal?: AbortSignal;
}

export async function errorFrom(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `Request failed with status ${response.status}`;
  let service: string | undefined;
  let errors: Array<{ field: string; message: string }> | undefined;
  try {
    const text = await response.text();
    if (text) {
      const body = JSON.parse(text) as { code?: string; message?: string; service?: string; field?: string; errors?: Array<{ field: string; message: string }> };
      if (Array.isArray(body.errors)) errors = body.errors;
      else if (body.field && body.message) errors = [{ field: body.field, message: body.message }];
      if (body.code) code = body.code;
      if (body.message) message = body.message;
      if (body.service) service = body.service;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message, service, errors);
}

/** Calls the gateway; resolves the parsed JSON (undefined for 204), rejects with ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (!SAFE.has(method)) {
    headers['X-XSRF-TOKEN'] = await ensureCsrfToken();
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Builds a query string from defined, non-empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
