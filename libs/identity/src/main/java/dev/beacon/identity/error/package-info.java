/**
 * Beacon's one error body: every refused request of every service is answered with JSON {@code
 * {"code", "message"}} (plus fields a code documents, such as {@code limit_bytes}), a stable
 * machine-readable {@code code} and a message for people.
 *
 * <p>Controllers and services throw {@link dev.beacon.identity.error.ApiException}; the
 * auto-configured {@link dev.beacon.identity.error.ApiExceptionHandler} answers it. Web filters and
 * security handlers, which run before any controller, write the same body with {@link
 * dev.beacon.identity.error.ApiErrors}. Why it lives here: {@code docs/adr/0013-one-error-body.md}.
 */
package dev.beacon.identity.error;
