package dev.beacon.chat.approval.domain;

import dev.beacon.chat.approval.store.ApprovalRow;

/**
 * An approval left pending (approved, rejected or expired): the turn that waits for it may go on.
 * Published as a Spring application event after the new state is stored.
 *
 * @param approval the approval in its new state
 */
public record ApprovalDecided(ApprovalRow approval) {}
