package dev.beacon.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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

  /**
   * Feature packages may use each other, but never in a circle: a cycle means two features are one
   * feature, or a helper lives in the wrong one.
   *
   * @param service the service's package under {@code dev.beacon}
   */
  public static ArchRule featurePackagesAreFreeOfCycles(String service) {
    return slices()
        .matching("dev.beacon." + service + ".(*)..")
        .namingSlices("feature $1")
        .should()
        .beFreeOfCycles()
        .because("a feature package that needs another must not be needed by it")
        .allowEmptyShould(true);
  }

  /**
   * Controllers parse and validate parameters and call a query, repository or service class; SQL
   * lives in those. Neither R2DBC's {@code DatabaseClient} nor JDBC in a controller.
   *
   * @param service the service's package under {@code dev.beacon}
   */
  public static ArchRule controllersDoNotRunSql(String service) {
    return noClasses()
        .that()
        .resideInAPackage("dev.beacon." + service + "..")
        .and()
        .haveSimpleNameEndingWith("Controller")
        .or()
        .areMetaAnnotatedWith("org.springframework.stereotype.Controller")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework.r2dbc..",
            "io.r2dbc..",
            "org.springframework.jdbc..",
            "java.sql..",
            "javax.sql..")
        .because("SQL lives in *Repository and *Query classes, controllers only call them")
        .allowEmptyShould(true);
  }

  /**
   * Every error is the one body of {@code dev.beacon.identity.error}: no service writes a {@code
   * {code, message}} record or exception of its own (ADR 0013).
   *
   * @param service the service's package under {@code dev.beacon}
   */
  public static ArchRule usesTheSharedErrorBody(String service) {
    return noClasses()
        .that()
        .resideInAPackage("dev.beacon." + service + "..")
        .should()
        .haveSimpleName("ApiException")
        .orShould()
        .haveSimpleName("ApiExceptionHandler")
        .orShould()
        .haveSimpleName("ApiError")
        .orShould()
        .haveSimpleName("ErrorResponse")
        .orShould()
        .haveSimpleName("ErrorResponses")
        .because("every service answers with dev.beacon.identity.error's one error body")
        .allowEmptyShould(true);
  }
}
