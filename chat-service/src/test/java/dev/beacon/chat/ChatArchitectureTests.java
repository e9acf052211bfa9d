package dev.beacon.chat;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.beacon.testsupport.ServiceArchitecture;

@AnalyzeClasses(packages = "dev.beacon.chat", importOptions = ImportOption.DoNotIncludeTests.class)
class ChatArchitectureTests {

  @ArchTest
  static final ArchRule doesNotDependOnOtherServices =
      ServiceArchitecture.doesNotDependOnOtherServices("chat");

  @ArchTest
  static final ArchRule isPackagedByFeature = ServiceArchitecture.isPackagedByFeature("chat");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      ServiceArchitecture.featurePackagesAreFreeOfCycles("chat");

  @ArchTest
  static final ArchRule controllersDoNotRunSql = ServiceArchitecture.controllersDoNotRunSql("chat");

  @ArchTest
  static final ArchRule usesTheSharedErrorBody = ServiceArchitecture.usesTheSharedErrorBody("chat");
}
