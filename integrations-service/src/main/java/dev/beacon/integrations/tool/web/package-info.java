/** The registry's HTTP API, as chat-service calls it ({@code docs/integrations.md}). */
package dev.beacon.integrations.tool.web;
