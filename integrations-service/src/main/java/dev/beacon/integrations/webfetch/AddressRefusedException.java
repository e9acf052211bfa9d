package dev.beacon.integrations.webfetch;

import java.net.UnknownHostException;

/** A host name that resolved to an address {@code web_fetch} may not connect to. */
final class AddressRefusedException extends UnknownHostException {

  AddressRefusedException(String host) {
    super(
        "The address "
            + host
            + " is not fetched: it resolves to a private, loopback or otherwise non-public"
            + " address.");
  }
}
