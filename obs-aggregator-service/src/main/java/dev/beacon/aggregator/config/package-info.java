/**
 * Service-wide wiring, a leaf every feature may use and which uses none: the aggregator's own
 * settings ({@code beacon.aggregator.*}, defaults in {@code application.yml} only), its clock, and
 * scheduling.
 */
package dev.beacon.aggregator.config;
