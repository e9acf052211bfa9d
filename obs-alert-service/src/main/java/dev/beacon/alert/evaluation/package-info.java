/**
 * Rule evaluation: the in-memory windows on the metric-update stream (rebuilt by replay), the one
 * definition of a rule's value ({@code RuleEvaluator}), the per-(rule, group) state machine with
 * cooldown and renotify as pure functions ({@code AlertStates}), the engine that does their I/O and
 * records transitions and notifications transactionally, and the same evaluation over history for
 * the preview ({@link dev.beacon.alert.evaluation.Backtest}).
 */
package dev.beacon.alert.evaluation;
