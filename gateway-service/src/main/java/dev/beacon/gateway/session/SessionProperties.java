package dev.beacon.gateway.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.gateway.session.*}.
 *
 * @param cookieName the session cookie's name
 * @param idleTimeout a session unused for this long ends
 * @param absoluteTimeout a session ends this long after sign-in, however active
 * @param secureCookie {@code auto} (Secure when the request arrived over https), {@code always} or
 *     {@code never}
 */
@ConfigurationProperties("beacon.gateway.session")
record SessionProperties(
    @DefaultValue("BEACON_SESSION") String cookieName,
    @DefaultValue("12h") Duration idleTimeout,
    @DefaultValue("7d") Duration absoluteTimeout,
    @DefaultValue("auto") String secureCookie) {}
