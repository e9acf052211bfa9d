package dev.beacon.gateway.login;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.gateway.login.*}; {@code public-url} and {@code mail-from} are the
 * mails' ({@link dev.beacon.gateway.mail.MailingProperties}).
 *
 * @param tokenTtl how long a sign-in link works
 * @param perEmailLimit sign-in links per email address per {@code limitPeriod}
 * @param perIpLimit sign-in link requests per client address per {@code limitPeriod}
 * @param limitPeriod the window of both login limits
 */
@ConfigurationProperties("beacon.gateway.login")
public record LoginProperties(
    @DefaultValue("15m") Duration tokenTtl,
    @DefaultValue("5") int perEmailLimit,
    @DefaultValue("30") int perIpLimit,
    @DefaultValue("15m") Duration limitPeriod) {}
