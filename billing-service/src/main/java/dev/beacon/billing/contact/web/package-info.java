/** {@code GET, PUT, DELETE /api/billing/contact}. */
package dev.beacon.billing.contact.web;
