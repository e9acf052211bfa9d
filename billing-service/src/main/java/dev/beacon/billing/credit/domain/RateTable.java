package dev.beacon.billing.credit.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosted rates by provider and model: a model's own rate, else its provider's fallback ({@code
 * provider, *}), else the fallback of everything ({@code *, *}).
 */
final class RateTable {

  static final String ANY = "*";

  private final Map<String, HostedRate> byKey = new HashMap<>();

  RateTable(List<HostedRate> rates) {
    rates.forEach(rate -> byKey.put(key(rate.provider(), rate.model()), rate));
    if (!byKey.containsKey(key(ANY, ANY))) {
      throw new IllegalStateException("hosted_rates has no fallback rate ('*', '*')");
    }
  }

  HostedRate rateFor(String provider, String model) {
    HostedRate exact = byKey.get(key(provider, model));
    if (exact != null) {
      return exact;
    }
    HostedRate ofProvider = byKey.get(key(provider, ANY));
    return ofProvider != null ? ofProvider : byKey.get(key(ANY, ANY));
  }

  private static String key(String provider, String model) {
    return provider + "\u0000" + model;
  }
}
