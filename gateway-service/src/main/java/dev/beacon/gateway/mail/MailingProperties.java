package dev.beacon.gateway.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the gateway's mails say about where they come from, under {@code beacon.gateway.login.*}
 * (the rest of that prefix is login's own).
 *
 * @param publicUrl the address people reach the gateway at; sign-in and invitation links point
 *     there (never at the request's Host header, which an attacker could choose)
 * @param mailFrom sender address of sign-in and invitation mails
 */
@ConfigurationProperties("beacon.gateway.login")
public record MailingProperties(
    @DefaultValue("http://localhost:8080") String publicUrl,
    @DefaultValue("Beacon <no-reply@beacon.local>") String mailFrom) {}
