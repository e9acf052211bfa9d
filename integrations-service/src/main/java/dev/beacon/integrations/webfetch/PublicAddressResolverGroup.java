package dev.beacon.integrations.webfetch;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves host names for {@code web_fetch} connections and refuses any name that resolves to an
 * address that is not {@linkplain PublicAddresses#isPublic public}. The check happens at connect
 * time, on the addresses actually used, so a DNS answer that changes between a check and the
 * connection (rebinding) cannot reach an internal service.
 *
 * <p>Copied from obs-alert-service's {@code delivery.PublicAddressResolverGroup} (services share no
 * code outside libs/); the refusal is an {@link AddressRefusedException} so that it can be told
 * from a name that does not exist.
 */
final class PublicAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new InetSocketAddressResolver(executor, new PublicOnlyNameResolver(executor));
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
        if (!PublicAddresses.isPublic(address)) {
          throw new AddressRefusedException(host);
        }
      }
      return addresses;
    }
  }
}
