/**
 * Approval metrics per agent and action kind, read from {@code obs.actions} (the state events of
 * each action paired by {@code action_id} in the pipeline's transaction).
 */
package dev.beacon.aggregator.approvals;
