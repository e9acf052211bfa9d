package dev.beacon.billing.checkout.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.stripe.model.Invoice;
import java.time.Instant;

/**
 * One of the workspace's Stripe invoices as the Billing page shows it: amounts in integer cents of
 * {@code currency}, times as instants, and Stripe's hosted page for it.
 */
public record InvoiceView(
    String id,
    String number,
    String status,
    String currency,
    @JsonProperty("amount_due") Long amountDue,
    @JsonProperty("amount_paid") Long amountPaid,
    Instant created,
    @JsonProperty("period_start") Instant periodStart,
    @JsonProperty("period_end") Instant periodEnd,
    @JsonProperty("hosted_invoice_url") String hostedInvoiceUrl) {

  static InvoiceView of(Invoice invoice) {
    return new InvoiceView(
        invoice.getId(),
        invoice.getNumber(),
        invoice.getStatus(),
        invoice.getCurrency(),
        invoice.getAmountDue(),
        invoice.getAmountPaid(),
        instant(invoice.getCreated()),
        instant(invoice.getPeriodStart()),
        instant(invoice.getPeriodEnd()),
        invoice.getHostedInvoiceUrl());
  }

  private static Instant instant(Long epochSeconds) {
    return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
  }
}
