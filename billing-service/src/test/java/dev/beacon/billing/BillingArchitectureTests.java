package dev.beacon.billing;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.beacon.testsupport.ServiceArchitecture;

@AnalyzeClasses(
    packages = "dev.beacon.billing",
    importOptions = ImportOption.DoNotIncludeTests.class)
class BillingArchitectureTests {

  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      ServiceArchitecture.doesNotDependOnOtherServices("billing");

  @ArchTest
  static final ArchRule isPackagedByFeature = ServiceArchitecture.isPackagedByFeature("billing");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      ServiceArchitecture.featurePackagesAreFreeOfCycles("billing");

  @ArchTest
  static final ArchRule controllersDoNotRunSql =
      ServiceArchitecture.controllersDoNotRunSql("billing");

  @ArchTest
  static final ArchRule usesTheSharedErrorBody =
      ServiceArchitecture.usesTheSharedErrorBody("billing");
}
