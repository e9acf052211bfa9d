/** Plans and entitlements as the other features use them. */
package dev.beacon.billing.plan.domain;
