package dev.beacon.integrations.connection.domain;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.IntegrationsProperties;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Connecting a credential provider: the credential's fields are checked for their form, then
 * against the provider ({@link CredentialCheck}), and only a credential the provider accepted is
 * sealed ({@link TokenCipher.Kind#CREDENTIALS}) and stored as a connection of the workspace, like
 * an OAuth connection (ADR 0020: the workspace's, every member may use and disconnect it). Listing,
 * health, targets and disconnecting are {@link ConnectionService}'s, for both kinds.
 */
@Service
public class CredentialService {

  private static final Logger log = LoggerFactory.getLogger(CredentialService.class);

  /**
   * A credential provider as the providers list shows it.
   *
   * @param platformCredential whether Beacon has a key of its own for it (the web search key from
   *     the environment), so its tools work without a connection
   */
  public record CredentialProviderView(CredentialProvider provider, boolean platformCredential) {}

  private final Map<CredentialProvider, CredentialCheck> checks =
      new EnumMap<>(CredentialProvider.class);
  private final TokenCipher cipher;
  private final ConnectionRepository connections;
  private final IntegrationsProperties properties;
  private final Clock clock;

  CredentialService(
      List<CredentialCheck> checks,
      TokenCipher cipher,
      ConnectionRepository connections,
      IntegrationsProperties properties,
      Clock clock) {
    for (CredentialCheck check : checks) {
      if (this.checks.put(check.provider(), check) != null) {
        throw new IllegalStateException("two checks for " + check.provider().id());
      }
    }
    for (CredentialProvider provider : CredentialProvider.values()) {
      if (!this.checks.containsKey(provider)) {
        throw new IllegalStateException("no credential check for " + provider.id());
      }
    }
    this.cipher = cipher;
    this.connections = connections;
    this.properties = properties;
    this.clock = clock;
  }

  public List<CredentialProviderView> providers() {
    return List.of(CredentialProvider.values()).stream()
        .map(
            p ->
                new CredentialProviderView(
                    p,
                    p == CredentialProvider.BRAVE
                        && properties.providers().webSearch().configured()))
        .toList();
  }

  /**
   * Connects {@code provider} with {@code fields} for the caller's workspace.
   *
   * @throws ApiException 400 {@code invalid_credential} (field) for a field that is missing, not
   *     one the provider takes, or malformed; 400 {@code credential_refused} or 502 {@code
   *     provider_unavailable} from the check; 503 {@code encryption_unconfigured}
   */
  public Mono<Connection> connect(
      ForwardedIdentity caller, CredentialProvider provider, Map<String, String> fields) {
    Credentials credentials = Credentials.of(checked(provider, fields));
    if (!cipher.isConfigured()) {
      return Mono.error(TokenCipher.unconfigured());
    }
    return checks
        .get(provider)
        .account(credentials, caller.workspaceId())
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(account -> store(caller, provider, account.orElse(null), credentials));
  }

  private Mono<Connection> store(
      ForwardedIdentity caller, CredentialProvider provider, String account, Credentials sealed) {
    UUID id = UUID.randomUUID();
    Connection connection =
        new Connection(
            id,
            caller.workspaceId(),
            provider,
            account,
            List.of(),
            caller.userId(),
            clock.instant(),
            null,
            ConnectionStatus.OK,
            null,
            null);
    byte[] ciphertext =
        cipher.encrypt(
            id, caller.workspaceId(), provider, TokenCipher.Kind.CREDENTIALS, sealed.toJson());
    log.info(
        "workspace {} connected {} with a credential (connection {}, by {})",
        caller.workspaceId(),
        provider.id(),
        id,
        caller.userId());
    return connections
        .insert(new ConnectionRepository.Row(connection, ciphertext, null, null))
        // as stored (the database keeps microseconds), so the answer is what the list shows
        .then(connections.find(caller.workspaceId(), id))
        .map(ConnectionRepository.Row::connection);
  }

  /** The fields, each present once and of its form; none other. */
  private static Map<String, String> checked(
      CredentialProvider provider, Map<String, String> fields) {
    for (String name : fields.keySet()) {
      if (provider.fields().stream().noneMatch(f -> f.name().equals(name))) {
        throw invalid(
            name, name + " is not a field of a " + provider.displayName() + " credential.");
      }
    }
    for (CredentialProvider.Field field : provider.fields()) {
      String value = fields.get(field.name());
      if (value == null || value.isEmpty()) {
        throw invalid(field.name(), field.name() + " is required.");
      }
      if (!field.format().matcher(value).matches()) {
        throw invalid(field.name(), field.name() + " must be " + field.what() + ".");
      }
    }
    return fields;
  }

  /** 400 {@code invalid_credential} naming the field at fault (never its value). */
  public static ApiException invalid(String field, String message) {
    return ApiException.badRequest("invalid_credential", message).with("field", field);
  }
}
