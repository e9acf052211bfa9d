package dev.beacon.billing.credit.domain;

import java.math.BigInteger;

/**
 * billing's resale price of hosted usage of one model, in credits per million tokens.
 *
 * @param provider the provider, or {@code *} for the fallback of every provider
 * @param model the model, or {@code *} for the fallback of every model of the provider
 * @param inputCreditsPerMillion per million input tokens not served from the prompt cache
 * @param cachedInputCreditsPerMillion per million input tokens served from the prompt cache
 * @param outputCreditsPerMillion per million output tokens, reasoning included
 */
public record HostedRate(
    String provider,
    String model,
    long inputCreditsPerMillion,
    long cachedInputCreditsPerMillion,
    long outputCreditsPerMillion) {

  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

  /**
   * The credits one call costs: the exact sum of tokens times rates over one million, rounded up to
   * a whole credit once. Integer arithmetic only.
   *
   * @param inputTokens input tokens including the cached ones
   * @param cachedInputTokens the cached part of {@code inputTokens} (more than that counts as all)
   * @param outputTokens output tokens
   */
  public long creditsFor(long inputTokens, long cachedInputTokens, long outputTokens) {
    long cached = Math.min(cachedInputTokens, inputTokens);
    BigInteger micro =
        BigInteger.valueOf(inputTokens - cached)
            .multiply(BigInteger.valueOf(inputCreditsPerMillion))
            .add(
                BigInteger.valueOf(cached)
                    .multiply(BigInteger.valueOf(cachedInputCreditsPerMillion)))
            .add(
                BigInteger.valueOf(outputTokens)
                    .multiply(BigInteger.valueOf(outputCreditsPerMillion)));
    BigInteger[] quotientAndRemainder = micro.divideAndRemainder(MILLION);
    BigInteger credits =
        quotientAndRemainder[1].signum() > 0
            ? quotientAndRemainder[0].add(BigInteger.ONE)
            : quotientAndRemainder[0];
    return credits.longValueExact();
  }
}
