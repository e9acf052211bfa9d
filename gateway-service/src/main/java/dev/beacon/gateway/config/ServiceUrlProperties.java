package dev.beacon.gateway.config;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The services' addresses, {@code beacon.gateway.routing.services.*}: bound apart from the rest of
 * {@code beacon.gateway.routing} because routing and API-key verification both need them.
 *
 * @param services base URL per service ({@code chat}, {@code billing}, {@code integrations}, {@code
 *     obs-ingest}, {@code obs-aggregator}, {@code obs-alert}); an empty value means the service's
 *     default local address
 */
@ConfigurationProperties("beacon.gateway.routing")
record ServiceUrlProperties(@DefaultValue Map<String, String> services) {}
