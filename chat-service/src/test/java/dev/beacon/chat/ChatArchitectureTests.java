package dev.beacon.chat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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

  /** Providers know nothing of agents or of the models built from both. */
  @ArchTest
  static final ArchRule providersDoNotDependOnAgentsOrModels =
      noClasses()
          .that()
          .resideInAPackage("dev.beacon.chat.provider..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.beacon.chat.agent..", "dev.beacon.chat.llm..");

  /**
   * Agents use providers only through their domain API, never their storage, client or endpoints.
   */
  @ArchTest
  static final ArchRule agentsUseProvidersOnlyThroughTheirDomain =
      noClasses()
          .that()
          .resideInAPackage("dev.beacon.chat.agent..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.beacon.chat.provider.store..",
              "dev.beacon.chat.provider.client..",
              "dev.beacon.chat.provider.web..",
              "dev.beacon.chat.llm..");

  /** A provider's API key is decrypted in the provider feature only. */
  @ArchTest
  static final ArchRule onlyProvidersTouchTheCipher =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.beacon.chat.provider..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.beacon.chat.provider.domain.ApiKeyCipher");
}
