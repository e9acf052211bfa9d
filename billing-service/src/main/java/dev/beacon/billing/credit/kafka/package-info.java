/** Consumes hosted {@code llm_call} events and debits their usage. */
package dev.beacon.billing.credit.kafka;
