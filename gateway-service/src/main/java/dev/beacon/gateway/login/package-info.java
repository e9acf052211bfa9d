/**
 * Magic-link login on Spring Security's one-time-token login: tokens in PostgreSQL, mail delivery
 * (SendGrid's HTTP API, SMTP or the local dev mailbox), sign-up on first use and the login rate
 * limit.
 */
package dev.beacon.gateway.login;
