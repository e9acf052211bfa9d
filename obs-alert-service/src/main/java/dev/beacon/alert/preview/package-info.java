/** Backtest of a draft rule against the aggregator's metric history. */
package dev.beacon.alert.preview;
