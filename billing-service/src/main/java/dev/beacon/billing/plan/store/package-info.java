/** The seeded {@code plans} table. */
package dev.beacon.billing.plan.store;
