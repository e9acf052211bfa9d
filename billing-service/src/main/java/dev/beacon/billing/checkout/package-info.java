/**
 * Stripe Checkout Sessions (subscribe to a plan) and Customer Portal sessions (change plan, manage
 * payment, cancel), created with stripe-java for owners and admins. What they lead to comes back
 * through the webhook ({@code dev.beacon.billing.stripe}).
 */
package dev.beacon.billing.checkout;
