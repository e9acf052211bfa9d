/** The {@code subscriptions} table. */
package dev.beacon.billing.subscription.store;
