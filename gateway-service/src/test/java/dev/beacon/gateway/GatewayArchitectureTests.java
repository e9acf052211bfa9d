package dev.beacon.gateway;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.beacon.testsupport.ServiceArchitecture;

@AnalyzeClasses(
    packages = "dev.beacon.gateway",
    importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayArchitectureTests {

  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      ServiceArchitecture.doesNotDependOnOtherServices("gateway");

  @ArchTest
  static final ArchRule isPackagedByFeature = ServiceArchitecture.isPackagedByFeature("gateway");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      ServiceArchitecture.featurePackagesAreFreeOfCycles("gateway");

  @ArchTest
  static final ArchRule controllersDoNotRunSql =
      ServiceArchitecture.controllersDoNotRunSql("gateway");

  @ArchTest
  static final ArchRule usesTheSharedErrorBody =
      ServiceArchitecture.usesTheSharedErrorBody("gateway");

  /** {@code config} and {@code web} are leaves: every feature may use them, they use no feature. */
  @ArchTest
  static final ArchRule configAndWebDependOnNoFeature =
      classes()
          .that()
          .resideInAnyPackage("dev.beacon.gateway.config..", "dev.beacon.gateway.web..")
          .should()
          .onlyDependOnClassesThat(
              resideOutsideOfPackage("dev.beacon.gateway..")
                  .or(
                      resideInAnyPackage(
                          "dev.beacon.gateway.config..", "dev.beacon.gateway.web..")));

  /** {@code security} composes the features into filter chains; no feature needs it. */
  @ArchTest
  static final ArchRule nothingDependsOnSecurity =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.beacon.gateway.security..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.beacon.gateway.security..");

  /** Only the routing filter signs identities: nothing else in the gateway acts as a user. */
  @ArchTest
  static final ArchRule onlyRoutingSignsIdentities =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.beacon.gateway.routing..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.beacon.identity.IdentitySigner");

  /** Sessions are kept in the identity schema, never in a per-instance WebSession. */
  @ArchTest
  static final ArchRule doesNotUseWebSessions =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName(
              "org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository");
}
