package dev.beacon.alert;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.beacon.testsupport.ServiceArchitecture;

@AnalyzeClasses(packages = "dev.beacon.alert", importOptions = ImportOption.DoNotIncludeTests.class)
class AlertArchitectureTests {

  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      ServiceArchitecture.doesNotDependOnOtherServices("alert");

  @ArchTest
  static final ArchRule isPackagedByFeature = ServiceArchitecture.isPackagedByFeature("alert");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      ServiceArchitecture.featurePackagesAreFreeOfCycles("alert");

  @ArchTest
  static final ArchRule controllersDoNotRunSql =
      ServiceArchitecture.controllersDoNotRunSql("alert");

  @ArchTest
  static final ArchRule usesTheSharedErrorBody =
      ServiceArchitecture.usesTheSharedErrorBody("alert");
}
