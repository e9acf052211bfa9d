package dev.beacon.alert.rule;

import java.util.UUID;

/**
 * Published (as a Spring application event) after a rule was created, updated or deleted, so the
 * evaluator picks the change up at once.
 *
 * @param workspaceId the rule's workspace
 * @param ruleId the rule
 */
public record RuleChanged(String workspaceId, UUID ruleId) {}
