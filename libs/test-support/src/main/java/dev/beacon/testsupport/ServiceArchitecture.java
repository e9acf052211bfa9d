package dev.beacon.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/** The ArchUnit rules every service's {@code *ArchitectureTests} applies to its own package. */
public final class ServiceArchitecture {

  private static final List<String> SERVICE_PACKAGES =
      List.of("gateway", "chat", "billing", "integrations", "ingest", "aggregator", "alert");

  private ServiceArchitecture() {}

  /**
   * Services talk over Kafka or documented HTTP APIs, never through each other's code.
   *
   * @param service the service's package under {@code dev.beacon}, e.g. {@code "ingest"}
   */
  public static ArchRule doesNotDependOnOtherServices(String service) {
    return noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            SERVICE_PACKAGES.stream()
                .filter(other -> !other.equals(service))
                .map(other -> "dev.beacon." + other + "..")
                .toArray(String[]::new))
        .because("services talk over Kafka or documented HTTP APIs");
  }

  /**
   * Features own their web, domain and store parts: no layer-first packages at the top.
   *
   * @param service the service's package under {@code dev.beacon}
   */
  public static ArchRule isPackagedByFeature(String service) {
    String base = "dev.beacon." + service;
    return noClasses()
        .should()
        .resideInAnyPackage(base + ".controller..", base + ".service..", base + ".repository..")
        .because("Beacon packages by feature, then by role")
        .allowEmptyShould(true);
  }
}
