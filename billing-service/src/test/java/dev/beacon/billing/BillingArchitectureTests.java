package dev.beacon.billing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "dev.beacon.billing",
    importOptions = ImportOption.DoNotIncludeTests.class)
class BillingArchitectureTests {

  /** Services talk over Kafka or documented HTTP APIs, never through each other's code. */
  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beacon.gateway..",
              "dev.beacon.chat..",
              "dev.beacon.integrations..",
              "dev.beacon.ingest..",
              "dev.beacon.aggregator..",
              "dev.beacon.alert..");

  /** No layer-first packages at the top: features own their web, domain and store parts. */
  @ArchTest
  static final ArchRule isPackagedByFeature =
      noClasses()
          .should()
          .resideInAnyPackage(
              "dev.beacon.billing.controller..",
              "dev.beacon.billing.service..",
              "dev.beacon.billing.repository..");
}
