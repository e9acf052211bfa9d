/** The contacts table. */
package dev.beacon.billing.contact.store;
