package dev.beacon.integrations.connection.domain;

import dev.beacon.identity.error.ApiException;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * What a connection is to: an OAuth provider ({@link ProviderId}: the person authorizes Beacon
 * there) or a credential provider ({@link CredentialProvider}: the person pastes an API key or a
 * bot token). Both kinds are listed, used and disconnected alike; only connecting differs.
 */
public sealed interface Provider permits ProviderId, CredentialProvider {

  /** The id in paths, bodies, events and the database: {@code google}, {@code binance} … */
  String id();

  String displayName();

  /** The provider of this id, of either kind, or 404 {@code unknown_provider}. */
  static Provider of(String id) {
    return Stream.concat(
            Arrays.stream(ProviderId.values()), Arrays.stream(CredentialProvider.values()))
        .<Provider>map(p -> p)
        .filter(p -> p.id().equals(id))
        .findFirst()
        .orElseThrow(() -> unknown(id));
  }

  static ApiException unknown(String id) {
    return ApiException.notFound("unknown_provider", "There is no provider \"" + id + "\".")
        .with("provider", id);
  }
}
