/** What every read endpoint shares: parameter parsing and the {@code {code, message}} errors. */
package dev.beacon.aggregator.web;
