/**
 * The built-in {@code web_fetch} tool: fetches a public page and gives its readable text. Only
 * public addresses are reached, checked on the address actually connected to and again on every
 * redirect (ADR 0019); bodies, time and result text are bounded.
 */
package dev.beacon.integrations.webfetch;
