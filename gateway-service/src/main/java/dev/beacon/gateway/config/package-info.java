/**
 * Service-wide wiring the features depend on, depending on no feature: where the other services are
 * ({@link dev.beacon.gateway.config.ServiceUrls}) and the scheduling of the features' cleanup jobs.
 */
package dev.beacon.gateway.config;
