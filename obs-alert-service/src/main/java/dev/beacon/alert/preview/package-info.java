/**
 * Backtest of a draft rule: reads the aggregator's metric history over its documented read API and
 * runs it through live evaluation's code path ({@link dev.beacon.alert.evaluation.Backtest}).
 */
package dev.beacon.alert.preview;
