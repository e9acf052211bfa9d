/** Streamed answers (`text/event-stream`) through the gateway, kept out of the main bundle: only chat reads them. */
import { readSse } from '../lib/sse';
import { ApiError, SAFE, ensureCsrfToken, errorFrom, type RequestOptions } from './client';

/**
 * Calls an endpoint that answers `text/event-stream` (a chat turn is a POST, which EventSource
 * cannot send): same CSRF and error handling as `api`, then hands each event's name and parsed
 * JSON data to `onEvent` until the stream ends. Rejects with ApiError before the stream starts.
 */
export async function apiStream(
  path: string,
  onEvent: (event: string, data: unknown) => void,
  options: RequestOptions = {},
): Promise<void> {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (!SAFE.has(method)) headers['X-XSRF-TOKEN'] = await ensureCsrfToken();
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (!response.ok) throw await errorFrom(response);
  if (!response.body) return;
  try {
    await readSse(
      response.body,
      (e) => {
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          data = e.data;
        }
        onEvent(e.event, data);
      },
      options.signal,
    );
  } catch (e) {
    if ((e as Error).name === 'AbortError' || options.signal?.aborted) return;
    throw new ApiError(0, 'stream_interrupted', 'The connection to the server broke off during the answer.');
  }
}
