/**
 * The ledger tables, hosted rates, credit packs and purchases. Nothing here updates or deletes a
 * ledger row.
 */
package dev.beacon.billing.credit.store;
