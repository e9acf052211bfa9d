package dev.beacon.aggregator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
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

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      ServiceArchitecture.featurePackagesAreFreeOfCycles("aggregator");

  /** The shared rule sees {@code metrics} as one feature; its parts are kept apart here. */
  @ArchTest
  static final ArchRule metricsPackagesAreFreeOfCycles =
      slices()
          .matching("dev.beacon.aggregator.metrics.(*)..")
          .namingSlices("metrics.$1")
          .should()
          .beFreeOfCycles();

  /** Service-wide wiring ({@code config}) and HTTP helpers ({@code web}) need no feature. */
  @ArchTest
  static final ArchRule configAndWebAreLeaves =
      noClasses()
          .that()
          .resideInAnyPackage("dev.beacon.aggregator.config..", "dev.beacon.aggregator.web..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.beacon.aggregator..")
                  .and(resideInAPackage("dev.beacon.aggregator.config..").negate())
                  .and(resideInAPackage("dev.beacon.aggregator.web..").negate()));

  @ArchTest
  static final ArchRule controllersDoNotRunSql =
      ServiceArchitecture.controllersDoNotRunSql("aggregator");

  @ArchTest
  static final ArchRule usesTheSharedErrorBody =
      ServiceArchitecture.usesTheSharedErrorBody("aggregator");

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
   * Kafka topics come from the registry, and only the pipeline, the metric update publisher, the
   * live metric stream and the dead-letter admin talk to Kafka.
   */
  @ArchTest
  static final ArchRule onlyThePipelineConsumesKafka =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "dev.beacon.aggregator.pipeline..",
              "dev.beacon.aggregator.metrics.write..",
              "dev.beacon.aggregator.metrics.stream..",
              "dev.beacon.aggregator.deadletter..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework.kafka..", "org.apache.kafka..");
}
