/**
 * Alert rules: the rule model, validation (including the Slack webhook URL policy), storage and the
 * CRUD API at {@code /api/obs/alerts/rules}.
 */
package dev.beacon.alert.rule;
