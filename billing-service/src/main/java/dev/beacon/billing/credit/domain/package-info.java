/** Posting to the ledger, pricing hosted usage, balances and the allowance of each month. */
package dev.beacon.billing.credit.domain;
