/** The notice outbox table. */
package dev.beacon.billing.notice.store;
