/** Reading, setting and learning (from Checkout) the billing contact. */
package dev.beacon.billing.contact.domain;
