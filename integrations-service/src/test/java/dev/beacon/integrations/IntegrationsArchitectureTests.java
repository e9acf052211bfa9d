package dev.beacon.integrations;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.beacon.testsupport.ServiceArchitecture;

@AnalyzeClasses(
    packages = "dev.beacon.integrations",
    importOptions = ImportOption.DoNotIncludeTests.class)
class IntegrationsArchitectureTests {

  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      ServiceArchitecture.doesNotDependOnOtherServices("integrations");

  @ArchTest
  static final ArchRule isPackagedByFeature =
      ServiceArchitecture.isPackagedByFeature("integrations");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      ServiceArchitecture.featurePackagesAreFreeOfCycles("integrations");

  @ArchTest
  static final ArchRule controllersDoNotRunSql =
      ServiceArchitecture.controllersDoNotRunSql("integrations");

  @ArchTest
  static final ArchRule usesTheSharedErrorBody =
      ServiceArchitecture.usesTheSharedErrorBody("integrations");
}
