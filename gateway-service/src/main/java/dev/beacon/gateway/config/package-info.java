/**
 * The gateway's security filter chains and small shared pieces (error bodies, keyed rate limiters).
 */
package dev.beacon.gateway.config;
