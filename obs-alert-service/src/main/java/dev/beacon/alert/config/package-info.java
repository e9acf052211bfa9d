/**
 * Service-wide settings and wiring, a leaf every feature may use: the {@code beacon.alert.*}
 * properties, the clock and scheduling. The reactive {@code TransactionalOperator} is Spring Boot's
 * (one R2DBC transaction manager).
 */
package dev.beacon.alert.config;
