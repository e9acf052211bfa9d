package dev.beacon.gateway.mail;

import java.time.Instant;

/** A mail the gateway sends: a sign-in link or an invitation. */
public record Mail(String to, String subject, String text, String link, Instant sentAt) {}
