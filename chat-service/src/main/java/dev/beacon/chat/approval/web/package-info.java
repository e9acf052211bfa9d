/** The approval queue's API under {@code /api/chat/approvals}. */
package dev.beacon.chat.approval.web;
