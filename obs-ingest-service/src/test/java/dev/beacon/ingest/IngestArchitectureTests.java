package dev.beacon.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "dev.beacon.ingest",
    importOptions = ImportOption.DoNotIncludeTests.class)
class IngestArchitectureTests {

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
              "dev.beacon.integrations..",
              "dev.beacon.aggregator..",
              "dev.beacon.alert..");

  /** No layer-first packages at the top: features own their web, domain and store parts. */
  @ArchTest
  static final ArchRule isPackagedByFeature =
      noClasses()
          .should()
          .resideInAnyPackage(
              "dev.beacon.ingest.controller..",
              "dev.beacon.ingest.service..",
              "dev.beacon.ingest.repository..");
}
