/**
 * The identity the gateway forwards to every service: who is calling (user), in which workspace,
 * with which role, until when.
 *
 * <p>The gateway signs it with {@link dev.beacon.identity.IdentitySigner} as a short-lived HS256
 * JWT in the {@value dev.beacon.identity.ForwardedIdentity#HEADER} header. Every service that
 * depends on this library gets {@link dev.beacon.identity.IdentityAutoConfiguration}, which
 * verifies the header on each request, answers 401/403 with a JSON error, and exposes the caller as
 * a {@link dev.beacon.identity.ForwardedIdentity} (see {@link
 * dev.beacon.identity.ForwardedIdentities}). Why a signed header and not, say, trusting the
 * network: {@code docs/adr/0002-forwarded-identity.md}.
 */
package dev.beacon.identity;
