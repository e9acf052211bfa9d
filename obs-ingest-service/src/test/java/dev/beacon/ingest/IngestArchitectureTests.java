package dev.beacon.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.beacon.testsupport.ServiceArchitecture;

@AnalyzeClasses(
    packages = "dev.beacon.ingest",
    importOptions = ImportOption.DoNotIncludeTests.class)
class IngestArchitectureTests {

  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      ServiceArchitecture.doesNotDependOnOtherServices("ingest");

  @ArchTest
  static final ArchRule isPackagedByFeature = ServiceArchitecture.isPackagedByFeature("ingest");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      ServiceArchitecture.featurePackagesAreFreeOfCycles("ingest");

  @ArchTest
  static final ArchRule controllersDoNotRunSql =
      ServiceArchitecture.controllersDoNotRunSql("ingest");

  @ArchTest
  static final ArchRule usesTheSharedErrorBody =
      ServiceArchitecture.usesTheSharedErrorBody("ingest");

  /** Event intake uses keys only through their domain API, never their storage or endpoints. */
  @ArchTest
  static final ArchRule eventsUseKeysOnlyThroughTheirDomain =
      noClasses()
          .that()
          .resideInAPackage("dev.beacon.ingest.events..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.beacon.ingest.apikey.store..", "dev.beacon.ingest.apikey.web..");

  /** Keys know nothing of event intake. */
  @ArchTest
  static final ArchRule keysDoNotDependOnEvents =
      noClasses()
          .that()
          .resideInAPackage("dev.beacon.ingest.apikey..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.beacon.ingest.events..");

  /** Only the web layer of a feature speaks HTTP. */
  @ArchTest
  static final ArchRule onlyWebPackagesServeHttp =
      noClasses()
          .that()
          .resideOutsideOfPackages("..web..")
          .should()
          .beAnnotatedWith(org.springframework.web.bind.annotation.RestController.class);

  /**
   * Kafka's producer is used by the kafka package alone, where sends are kept off the event loop.
   */
  @ArchTest
  static final ArchRule onlyTheKafkaPackageProduces =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.beacon.ingest.events.kafka..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka.clients.producer..");
}
