/**
 * Magic-link login on Spring Security's one-time-token login: tokens in PostgreSQL, the mail with
 * the link, sign-up on first use and the login rate limit.
 */
package dev.beacon.gateway.login;
