/** Settings and beans shared by the billing features. */
package dev.beacon.billing.config;
