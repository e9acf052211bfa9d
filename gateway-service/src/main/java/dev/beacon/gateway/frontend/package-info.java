/**
 * Serving the dashboard bundle (the {@code frontend} module's {@code static/**}): long-lived
 * caching for hashed assets, {@code no-cache} for {@code index.html}, the SPA fallback for
 * client-side routes and the browser security headers that fit the bundle.
 */
package dev.beacon.gateway.frontend;
