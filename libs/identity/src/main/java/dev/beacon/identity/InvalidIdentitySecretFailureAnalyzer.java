package dev.beacon.identity;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an unusable identity secret at startup as one clear problem and fix. */
final class InvalidIdentitySecretFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidIdentitySecretException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidIdentitySecretException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Give the gateway and every service the same BEACON_IDENTITY_SECRET of at least "
            + IdentityKeys.MINIMUM_SECRET_BYTES
            + " bytes.",
        cause);
  }
}
