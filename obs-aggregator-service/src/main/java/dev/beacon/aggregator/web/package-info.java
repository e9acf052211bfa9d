/**
 * A leaf of HTTP helpers every read endpoint shares: parameter parsing, and the 400 {@code
 * invalid_parameter} of the one error body ({@code dev.beacon.identity.error}) when a parameter is
 * wrong.
 */
package dev.beacon.aggregator.web;
