/** The plans (Free, Pro, Business, Enterprise), their prices and entitlements. */
package dev.beacon.billing.plan;
