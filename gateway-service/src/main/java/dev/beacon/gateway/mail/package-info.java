/**
 * The gateway's outgoing mail (sign-in links, invitations): delivery through SendGrid's HTTP API,
 * SMTP or, under the {@code local}/{@code dev} profile, the in-memory dev mailbox at {@code
 * /dev/mailbox}.
 */
package dev.beacon.gateway.mail;
