package dev.beacon.gateway.login;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.gateway.login.*}.
 *
 * @param publicUrl the address people reach the gateway at; sign-in links point there (never at the
 *     request's Host header, which an attacker could choose)
 * @param tokenTtl how long a sign-in link works
 * @param mailFrom sender address of sign-in and invitation mails
 * @param perEmailLimit sign-in links per email address per {@code limitPeriod}
 * @param perIpLimit sign-in link requests per client address per {@code limitPeriod}
 * @param limitPeriod the window of both login limits
 */
@ConfigurationProperties("beacon.gateway.login")
public record LoginProperties(
    @DefaultValue("http://localhost:8080") String publicUrl,
    @DefaultValue("15m") Duration tokenTtl,
    @DefaultValue("Beacon <no-reply@beacon.local>") String mailFrom,
    @DefaultValue("5") int perEmailLimit,
    @DefaultValue("30") int perIpLimit,
    @DefaultValue("15m") Duration limitPeriod) {}
