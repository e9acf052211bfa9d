package dev.beacon.chat.provider.domain;

import dev.beacon.chat.config.ChatProperties;
import dev.beacon.chat.web.FieldErrors;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Where a workspace may point a provider. The service calls a base URL with the workspace's key and
 * shows the provider's error messages, so a base URL on the service's own network would let a
 * member read internal endpoints. Unless {@code beacon.chat.providers.allow-private-base-urls} is
 * set (the local stack, tests), a base URL whose host resolves to a loopback, private, link-local
 * or unspecified address is refused when it is written. The providers' default base URLs are not
 * checked (Ollama's is {@code localhost}).
 *
 * <p>The check is made once, at write time: a host whose DNS answer changes later is not caught.
 */
@Component
class BaseUrlPolicy {

  private final boolean allowPrivate;

  BaseUrlPolicy(ChatProperties properties) {
    this.allowPrivate = properties.providers().allowPrivateBaseUrls();
  }

  /** Completes empty when {@code baseUrl} may be used, with a 400 otherwise. */
  Mono<Void> check(String baseUrl) {
    if (allowPrivate || baseUrl == null) {
      return Mono.empty();
    }
    return Mono.<Void>fromRunnable(() -> checkNow(URI.create(baseUrl).getHost()))
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static void checkNow(String host) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new FieldErrors()
          .add("base_url", "has a host that does not resolve")
          .toException("invalid_provider_settings");
    }
    for (InetAddress address : addresses) {
      if (isPrivate(address)) {
        throw new FieldErrors()
            .add("base_url", "must not point at a loopback, private or link-local address")
            .toException("invalid_provider_settings");
      }
    }
  }

  static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      return (bytes[0] & 0xfe) == 0xfc; // fc00::/7, unique local
    }
    // 100.64.0.0/10 (carrier-grade NAT, often cloud-internal)
    return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
  }
}
