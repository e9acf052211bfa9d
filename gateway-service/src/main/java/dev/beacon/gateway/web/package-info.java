/** Small HTTP helpers several features share (per-key rate limits); depends on no feature. */
package dev.beacon.gateway.web;
