/** Approval requests in PostgreSQL (R2DBC); state changes are conditional updates. */
package dev.beacon.chat.approval.store;
