/** Settings and infrastructure wiring of the alert service. */
package dev.beacon.alert.config;
