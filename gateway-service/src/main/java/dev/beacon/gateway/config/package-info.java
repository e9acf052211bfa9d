/**
 * Service-wide wiring the features depend on, depending on no feature: the scheduling of the
 * features' cleanup jobs.
 */
package dev.beacon.gateway.config;
