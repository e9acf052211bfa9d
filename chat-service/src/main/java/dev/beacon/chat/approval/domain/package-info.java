/**
 * The approval lifecycle and its events; a decision is announced as {@link
 * dev.beacon.chat.approval.domain.ApprovalDecided}.
 */
package dev.beacon.chat.approval.domain;
