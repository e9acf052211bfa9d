package dev.beacon.integrations;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "dev.beacon.integrations",
    importOptions = ImportOption.DoNotIncludeTests.class)
class IntegrationsArchitectureTests {

  /** Services talk over Kafka or documented HTTP APIs, never through each other's code. */
  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beacon.gateway..",
              "dev.beacon.chat..",
              "dev.beacon.billing..",
              "dev.beacon.ingest..",
              "dev.beacon.aggregator..",
              "dev.beacon.alert..");

  /** No layer-first packages at the top: features own their web, domain and store parts. */
  @ArchTest
  static final ArchRule isPackagedByFeature =
      noClasses()
          .should()
          .resideInAnyPackage(
              "dev.beacon.integrations.controller..",
              "dev.beacon.integrations.service..",
              "dev.beacon.integrations.repository..");
}
