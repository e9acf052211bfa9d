/**
 * Rule evaluation on the metric-update stream: the in-memory windows (rebuilt by replay), the
 * per-(rule, group) state machine with cooldown and renotify, and the transactional recording of
 * transitions and their notifications.
 */
package dev.beacon.alert.evaluation;
