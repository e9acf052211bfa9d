/** The aggregator's own settings ({@code beacon.aggregator.*}) and its clock. */
package dev.beacon.aggregator.config;
