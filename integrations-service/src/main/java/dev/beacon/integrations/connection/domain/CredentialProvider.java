package dev.beacon.integrations.connection.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The providers a workspace connects by pasting a credential rather than through OAuth: the fields
 * each takes, and the form each field must have before Beacon sends it anywhere. A credential is
 * checked against the provider ({@link CredentialCheck}) before it is stored.
 */
public enum CredentialProvider implements Provider {
  /** Binance's spot API: an HMAC API key and its secret (RSA and Ed25519 keys are not taken). */
  BINANCE(
      "binance",
      "Binance",
      List.of(
          new Field("api_key", Pattern.compile("[A-Za-z0-9]{16,128}"), "Binance API key"),
          new Field("api_secret", Pattern.compile("[A-Za-z0-9]{16,128}"), "its secret key"))),
  /** A Telegram bot's token, as BotFather gives it. */
  TELEGRAM(
      "telegram",
      "Telegram",
      List.of(
          new Field(
              "bot_token",
              Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}"),
              "a bot token such as 123456789:AA…"))),
  /** The Brave Search API, which {@code web_search} calls: a subscription token. */
  BRAVE(
      "brave",
      "Brave Search",
      List.of(
          new Field("api_key", Pattern.compile("[A-Za-z0-9_-]{8,128}"), "a Brave Search API key")));

  /**
   * One field of the credential.
   *
   * @param name its name in the connect request's body
   * @param format what a value must match (it keeps line breaks and spaces out of headers and URLs)
   * @param what what it is, for refusals
   */
  public record Field(String name, Pattern format, String what) {}

  private final String id;
  private final String displayName;
  private final List<Field> fields;

  CredentialProvider(String id, String displayName, List<Field> fields) {
    this.id = id;
    this.displayName = displayName;
    this.fields = fields;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String displayName() {
    return displayName;
  }

  /** The fields a credential of this provider has, all required. */
  public List<Field> fields() {
    return fields;
  }
}
