package dev.beacon.alert.delivery;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves host names for webhook connections and refuses any name that resolves to a loopback,
 * private, link-local, carrier-grade NAT, unique-local, multicast or unspecified address. The check
 * happens at connect time, on the addresses actually used, so a DNS answer that changes between
 * validation and sending (rebinding) cannot reach an internal service.
 */
final class PublicAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new InetSocketAddressResolver(executor, new PublicOnlyNameResolver(executor));
  }

  /** Whether an address may be connected to without an allowlist entry. */
  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      return (bytes[0] & 0xfe) != 0xfc;
    }
    int first = bytes[0] & 0xff;
    int second = bytes[1] & 0xff;
    boolean carrierGradeNat = first == 100 && second >= 64 && second <= 127;
    boolean reserved = first == 0 || first >= 240;
    return !carrierGradeNat && !reserved;
  }

  private static final class PublicOnlyNameResolver extends DefaultNameResolver {

    PublicOnlyNameResolver(EventExecutor executor) {
      super(executor);
    }

    @Override
    protected void doResolve(String host, Promise<InetAddress> promise) {
      try {
        promise.setSuccess(checked(host).get(0));
      } catch (UnknownHostException e) {
        promise.setFailure(e);
      }
    }

    @Override
    protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
      try {
        promise.setSuccess(checked(host));
      } catch (UnknownHostException e) {
        promise.setFailure(e);
      }
    }

    private static List<InetAddress> checked(String host) throws UnknownHostException {
      List<InetAddress> addresses = Arrays.asList(InetAddress.getAllByName(host));
      for (InetAddress address : addresses) {
        if (!isPublic(address)) {
          throw new UnknownHostException(
              host + " resolves to a private or loopback address; refused");
        }
      }
      return addresses;
    }
  }
}
