package dev.beacon.aggregator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.beacon.testsupport.ServiceArchitecture;

@AnalyzeClasses(
    packages = "dev.beacon.aggregator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class AggregatorArchitectureTests {

  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      ServiceArchitecture.doesNotDependOnOtherServices("aggregator");

  @ArchTest
  static final ArchRule isPackagedByFeature = ServiceArchitecture.isPackagedByFeature("aggregator");

  /** Feature packages may use each other, but never in a circle. */
  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      slices().matching("dev.beacon.aggregator.(*)..").should().beFreeOfCycles();

  /** The read API stays non-blocking: controllers never touch JDBC themselves. */
  @ArchTest
  static final ArchRule controllersDoNotUseJdbc =
      noClasses()
          .that()
          .areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..");

  /**
   * Kafka topics come from the registry, and only the pipeline, the metric updates and the
   * dead-letter admin talk to Kafka.
   */
  @ArchTest
  static final ArchRule onlyThePipelineConsumesKafka =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "dev.beacon.aggregator.pipeline..",
              "dev.beacon.aggregator.metrics..",
              "dev.beacon.aggregator.deadletter..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework.kafka..", "org.apache.kafka..");
}
