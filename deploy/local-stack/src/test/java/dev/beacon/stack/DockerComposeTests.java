package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps the container and cluster descriptions in step with the code: every {@code *-service}
 * module of the root pom must appear in {@code docker-compose.yml}, in Prometheus, and in {@code
 * deploy/k8s}, on the port the service itself defaults to in its {@code application.yml}. Nothing
 * here needs a Docker engine; the files are read as data.
 */
class DockerComposeTests {

  private static final Path REPO = findRepositoryRoot();
  private static final String DOCKERFILE = "deploy/docker/Dockerfile";
  private static final String READINESS_PATH = "/actuator/health/readiness";
  private static final String LIVENESS_PATH = "/actuator/health/liveness";
  private static final String METRICS_PATH = "/actuator/prometheus";
  private static final Pattern PORT_DEFAULT = Pattern.compile("\\$\\{PORT:(\\d+)}");

  static List<String> serviceModules() {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document pom = factory.newDocumentBuilder().parse(REPO.resolve("pom.xml").toFile());
      NodeList modules = pom.getElementsByTagName("module");
      List<String> services = new ArrayList<>();
      for (int i = 0; i < modules.getLength(); i++) {
        String module = modules.item(i).getTextContent().trim();
        if (module.endsWith("-service")) {
          services.add(module);
        }
      }
      return services;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the root pom.xml", e);
    }
  }

  @Test
  void rootPomListsServiceModulesThatEachDefaultToTheirOwnPort() {
    List<String> modules = serviceModules();

    assertThat(modules).as("service modules in the root pom").isNotEmpty();
    List<Integer> ports = modules.stream().map(DockerComposeTests::defaultPort).toList();
    assertThat(ports).as("default ports of %s", modules).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void everyServiceModuleHasAHealthCheckedComposeService(String module) {
    Map<String, Object> service = composeService(module);
    Map<String, Object> healthcheck = map(service.get("healthcheck"), module + ".healthcheck");

    assertThat(healthcheck.get("disable")).as("%s healthcheck disabled", module).isNotEqualTo(true);
    assertThat(healthcheckCommand(healthcheck))
        .as("%s healthcheck command", module)
        .doesNotStartWith("NONE")
        .contains("localhost:" + defaultPort(module) + READINESS_PATH);
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void everyServiceIsBuiltFromTheRepositoryWithTheSharedDockerfile(String module) {
    Map<String, Object> build = map(composeService(module).get("build"), module + ".build");

    assertThat(REPO.resolve(string(build.get("context"))).normalize())
        .as("%s build context", module)
        .isEqualTo(REPO);
    assertThat(build.get("dockerfile")).as("%s dockerfile", module).isEqualTo(DOCKERFILE);
    assertThat(keyValues(build.get("args")))
        .as("%s build args", module)
        .containsEntry("SERVICE", module);
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void everyServicePublishesItsOwnPortOnLoopbackOnly(String module) {
    int port = defaultPort(module);
    Map<String, Object> service = composeService(module);

    assertThat(portMappings(service)).as("%s ports", module).contains(loopback(port, port));
    assertThat(keyValues(service.get("environment")).get("PORT"))
        .as("%s PORT", module)
        .isIn(null, String.valueOf(port));
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void everyServiceReachesKafkaAndPostgresInsideTheComposeNetwork(String module) {
    Map<String, String> environment = keyValues(composeService(module).get("environment"));

    assertThat(environment)
        .as("%s environment", module)
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
        .containsEntry("BEACON_DB_HOST", "postgres")
        .containsKeys("BEACON_DB_PORT", "BEACON_DB_NAME", "BEACON_DB_USER", "BEACON_DB_PASSWORD");
    assertThat(environment.get("BEACON_IDENTITY_SECRET"))
        .as("%s identity secret must be required from the environment", module)
        .startsWith("${BEACON_IDENTITY_SECRET:?");
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void everyServiceStartsOnlyAfterKafkaAndPostgresAreHealthy(String module) {
    Map<String, Object> dependsOn =
        map(composeService(module).get("depends_on"), module + ".depends_on");

    for (String infrastructure : List.of("kafka", "postgres")) {
      assertThat(map(dependsOn.get(infrastructure), module + ".depends_on." + infrastructure))
          .as("%s depends on %s", module, infrastructure)
          .containsEntry("condition", "service_healthy");
    }
  }

  @Test
  void gatewayStartsOnlyAfterEveryOtherServiceIsHealthy() {
    Map<String, Object> dependsOn =
        map(composeService("gateway-service").get("depends_on"), "gateway-service.depends_on");

    for (String module : serviceModules()) {
      if (!module.equals("gateway-service")) {
        assertThat(map(dependsOn.get(module), "gateway-service.depends_on." + module))
            .as("gateway-service depends on %s", module)
            .containsEntry("condition", "service_healthy");
      }
    }
  }

  @Test
  void everyContainerHasAMemoryLimitAndPublishesPortsOnLoopbackOnly() {
    Map<String, Object> services = composeServices();

    assertThat(services.keySet()).containsAll(serviceModules());
    services.forEach(
        (name, definition) -> {
          Map<String, Object> service = map(definition, name);
          assertThat(memoryLimit(service)).as("%s memory limit", name).isPresent();
          assertThat(portMappings(service))
              .as("%s ports", name)
              .allSatisfy(mapping -> assertThat(mapping).startsWith("127.0.0.1:"));
        });
  }

  @Test
  void noComposeServiceEnablesADevProfile() {
    composeServices()
        .forEach(
            (name, definition) -> {
              Map<String, String> environment = keyValues(map(definition, name).get("environment"));
              assertThat(environment.getOrDefault("SPRING_PROFILES_ACTIVE", ""))
                  .as("%s active profiles", name)
                  .doesNotContainIgnoringCase("dev");
              assertThat(String.valueOf(environment.get("JAVA_TOOL_OPTIONS")))
                  .as("%s JVM options", name)
                  .doesNotContain("spring.profiles.active");
            });
  }

  @Test
  void kafkaAndPostgresAreHealthCheckedAndUseTheExpectedImages() {
    Map<String, Object> kafka = composeService("kafka");
    Map<String, Object> postgres = composeService("postgres");

    assertThat(string(kafka.get("image"))).startsWith("apache/kafka:");
    assertThat(keyValues(kafka.get("environment")))
        .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
        .hasEntrySatisfying(
            "KAFKA_ADVERTISED_LISTENERS",
            listeners -> assertThat(listeners).contains("kafka:9092"));
    assertThat(healthcheckCommand(map(kafka.get("healthcheck"), "kafka.healthcheck")))
        .contains("kafka-broker-api-versions.sh");
    assertThat(string(postgres.get("image"))).matches("postgres:17([.-].*)?");
    assertThat(keyValues(postgres.get("environment"))).containsEntry("POSTGRES_DB", "beacon");
    assertThat(healthcheckCommand(map(postgres.get("healthcheck"), "postgres.healthcheck")))
        .contains("pg_isready");
  }

  @Test
  void theSharedDockerfileBuildsAnyServiceIntoALayeredNonRootImage() throws IOException {
    String dockerfile = Files.readString(REPO.resolve(DOCKERFILE));
    String dockerignore = Files.readString(REPO.resolve(".dockerignore"));

    assertThat(dockerfile)
        .contains("ARG SERVICE")
        .contains("./mvnw")
        .contains("-am package -DskipTests")
        .contains("-Djarmode=tools -jar app.jar extract --layers --launcher")
        .contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
    assertThat(dockerfile.lines().map(String::trim).filter(line -> line.startsWith("USER ")))
        .as("USER instructions")
        .isNotEmpty()
        .noneMatch(line -> line.matches("USER (root|0)(:.*)?"));
    assertThat(dockerignore.lines().map(String::trim))
        .anyMatch(line -> line.contains("target"))
        .anyMatch(line -> line.contains(".data"))
        .anyMatch(line -> line.contains("node_modules"))
        .anyMatch(line -> line.equals(".git") || line.equals(".git/"));
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void everyServiceModuleHasAPrometheusJob(String module) {
    Map<String, Object> job =
        prometheusJobs().stream()
            .filter(candidate -> module.equals(candidate.get("job_name")))
            .findFirst()
            .orElseGet(() -> fail("no Prometheus job named %s", module));

    assertThat(job.get("metrics_path")).as("%s metrics_path", module).isEqualTo(METRICS_PATH);
    assertThat(targets(job))
        .as("%s targets", module)
        .containsExactly(module + ":" + defaultPort(module));
  }

  @Test
  void everyPrometheusJobScrapesAComposeServiceOnItsPort() {
    List<Map<String, Object>> jobs = prometheusJobs();

    assertThat(jobs).isNotEmpty();
    for (Map<String, Object> job : jobs) {
      for (String target : targets(job)) {
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        Map<String, Object> service = composeService(host);
        List<Integer> containerPorts =
            portMappings(service).stream()
                .map(mapping -> Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1)))
                .toList();
        assertThat(containerPorts).as("container ports of %s", host).contains(port);
        if (serviceModules().contains(host)) {
          assertThat(port).as("port of %s", host).isEqualTo(defaultPort(host));
          assertThat(job.get("metrics_path")).as("%s metrics_path", host).isEqualTo(METRICS_PATH);
        }
      }
    }
  }

  @Test
  void prometheusLoadsAlertRulesForDownServicesServerErrorsAndConsumerLag() throws IOException {
    Map<String, Object> prometheus = yamlFile("deploy/prometheus/prometheus.yml");
    assertThat(composeVolumes("prometheus")).contains("./deploy/prometheus:/etc/prometheus");

    List<String> alertExpressions = new ArrayList<>();
    List<Object> ruleFiles = list(prometheus.get("rule_files"), "rule_files");
    assertThat(ruleFiles).isNotEmpty();
    for (Object ruleFile : ruleFiles) {
      List<Path> files =
          filesInRepository(string(ruleFile), "/etc/prometheus/", "deploy/prometheus/");
      assertThat(files).as("files matching %s", ruleFile).isNotEmpty();
      for (Path file : files) {
        for (Object group :
            list(yamlFile(REPO.relativize(file).toString()).get("groups"), "groups")) {
          for (Object rule : list(map(group, "group").get("rules"), "rules")) {
            Map<String, Object> alert = map(rule, "rule");
            assertThat(alert).containsKeys("alert", "expr");
            alertExpressions.add(string(alert.get("expr")));
          }
        }
      }
    }

    assertThat(alertExpressions)
        .anyMatch(expr -> expr.replace(" ", "").contains("==0") && expr.contains("up"))
        .anyMatch(expr -> expr.contains("http_server_requests_seconds_count{status=~\"5..\"}"))
        .anyMatch(expr -> expr.contains("kafka_consumer_fetch_manager_records_lag_max"));
  }

  @Test
  void grafanaProvisionsThePrometheusDatasourceAndTheDashboardFolder() {
    List<Object> datasources =
        list(
            yamlFile("deploy/grafana/provisioning/datasources/prometheus.yml").get("datasources"),
            "datasources");
    List<Object> providers =
        list(
            yamlFile("deploy/grafana/provisioning/dashboards/beacon.yml").get("providers"),
            "providers");

    assertThat(datasources)
        .anySatisfy(
            datasource ->
                assertThat(map(datasource, "datasource"))
                    .containsEntry("uid", "prometheus")
                    .containsEntry("type", "prometheus")
                    .containsEntry("url", "http://prometheus:9090"));
    assertThat(providers)
        .anySatisfy(
            provider ->
                assertThat(map(map(provider, "provider").get("options"), "provider.options"))
                    .containsEntry("path", "/var/lib/grafana/dashboards"));
    assertThat(composeVolumes("grafana"))
        .contains("./deploy/grafana/provisioning:/etc/grafana/provisioning")
        .contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards");
  }

  @Test
  void grafanaDashboardParsesAndQueriesOnlyThePrometheusDatasource() throws IOException {
    Path dashboardFile = REPO.resolve("deploy/grafana/dashboards/beacon-services.json");
    Map<String, Object> dashboard;
    try (Reader reader = Files.newBufferedReader(dashboardFile)) {
      dashboard = map(yaml().load(reader), "dashboard");
    }
    List<Object> datasources = new ArrayList<>();
    List<String> expressions = new ArrayList<>();
    collect(dashboard, datasources, expressions);

    assertThat(list(dashboard.get("panels"), "panels")).isNotEmpty();
    assertThat(datasources).isNotEmpty();
    assertThat(datasources)
        .allSatisfy(
            datasource ->
                assertThat(map(datasource, "datasource")).containsEntry("uid", "prometheus"));
    assertThat(expressions)
        .anyMatch(expr -> expr.contains("up{"))
        .anyMatch(expr -> expr.contains("http_server_requests_seconds_count"))
        .anyMatch(expr -> expr.contains("http_server_requests_seconds_bucket"))
        .anyMatch(expr -> expr.contains("jvm_memory_used_bytes"))
        .anyMatch(expr -> expr.contains("kafka_consumer_fetch_manager_records_lag_max"))
        .anyMatch(expr -> expr.contains("kafka_producer_record_send"));
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void everyServiceModuleHasAKubernetesDeploymentProbedOnItsPort(String module) {
    int port = defaultPort(module);
    Map<String, Object> deployment = kubernetesObject("Deployment", module);
    Map<String, Object> podSpec =
        map(
            map(map(deployment.get("spec"), "spec").get("template"), "template").get("spec"),
            "pod");
    Map<String, Object> container =
        list(podSpec.get("containers"), "containers").stream()
            .map(candidate -> map(candidate, "container"))
            .filter(candidate -> module.equals(candidate.get("name")))
            .findFirst()
            .orElseGet(() -> fail("Deployment %s has no container named %s", module, module));

    List<Object> containerPorts = list(container.get("ports"), module + " ports");
    assertThat(containerPorts)
        .as("%s container ports", module)
        .anySatisfy(p -> assertThat(map(p, "port")).containsEntry("containerPort", port));
    assertProbe(container, "readinessProbe", READINESS_PATH, port, module);
    assertProbe(container, "livenessProbe", LIVENESS_PATH, port, module);
    assertThat(map(map(container.get("resources"), "resources").get("limits"), "limits"))
        .as("%s resource limits", module)
        .containsKey("memory");
    assertThat(list(container.get("envFrom"), module + " envFrom").toString())
        .contains("configMapRef")
        .contains("secretRef");

    Map<String, Object> service = kubernetesObject("Service", module);
    assertThat(list(map(service.get("spec"), "spec").get("ports"), "ports"))
        .as("%s Service ports", module)
        .anySatisfy(p -> assertThat(map(p, "port")).containsEntry("port", port));
  }

  @ParameterizedTest
  @MethodSource("serviceModules")
  void inKubernetesEveryServiceIsReachedAtItsServiceNameThroughTheSharedConfigMap(String module) {
    if (module.equals("gateway-service")) {
      return; // nothing calls the gateway from inside
    }
    Map<String, Object> data =
        map(kubernetesObject("ConfigMap", "beacon-config").get("data"), "beacon-config data");
    String variable =
        "BEACON_" + module.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_URL";

    assertThat(data)
        .as("the gateway routes, and services call each other, at %s", variable)
        .containsEntry(variable, "http://" + module + ":" + defaultPort(module));
  }

  private static void assertProbe(
      Map<String, Object> container, String probe, String path, int port, String module) {
    Map<String, Object> httpGet =
        map(map(container.get(probe), module + " " + probe).get("httpGet"), probe + ".httpGet");
    assertThat(httpGet.get("path")).as("%s %s path", module, probe).isEqualTo(path);
    Object probePort = httpGet.get("port");
    if (probePort instanceof String name) {
      assertThat(list(container.get("ports"), "ports"))
          .as("%s %s port named %s", module, probe, name)
          .anySatisfy(
              p ->
                  assertThat(map(p, "port"))
                      .containsEntry("name", name)
                      .containsEntry("containerPort", port));
    } else {
      assertThat(probePort).as("%s %s port", module, probe).isEqualTo(port);
    }
  }

  private static Path findRepositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml"))
          && Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no directory above "
            + Path.of("").toAbsolutePath()
            + " holds docker-compose.yml and mvnw");
  }

  private static int defaultPort(String module) {
    Map<String, Object> config = yamlFile(module + "/src/main/resources/application.yml");
    String port = String.valueOf(map(config.get("server"), module + " server").get("port"));
    Matcher matcher = PORT_DEFAULT.matcher(port);
    if (matcher.matches()) {
      return Integer.parseInt(matcher.group(1));
    }
    if (port.matches("\\d+")) {
      return Integer.parseInt(port);
    }
    throw new IllegalStateException(module + " server.port has no default port: " + port);
  }

  private static Map<String, Object> composeServices() {
    return map(yamlFile("docker-compose.yml").get("services"), "services");
  }

  private static Map<String, Object> composeService(String name) {
    Object service = composeServices().get(name);
    assertThat(service).as("compose service %s", name).isNotNull();
    return map(service, name);
  }

  private static List<String> composeVolumes(String name) {
    return list(composeService(name).get("volumes"), name + ".volumes").stream()
        .map(volume -> string(volume).replaceFirst(":ro$", ""))
        .toList();
  }

  /** Short syntax as given ({@code 127.0.0.1:8080:8080}), long syntax rewritten to it. */
  private static List<String> portMappings(Map<String, Object> service) {
    Object ports = service.get("ports");
    if (ports == null) {
      return List.of();
    }
    return list(ports, "ports").stream()
        .map(
            port -> {
              if (port instanceof Map<?, ?> longSyntax) {
                return longSyntax.get("host_ip")
                    + ":"
                    + longSyntax.get("published")
                    + ":"
                    + longSyntax.get("target");
              }
              return string(port).replaceFirst("/tcp$", "");
            })
        .toList();
  }

  private static String loopback(int published, int target) {
    return "127.0.0.1:" + published + ":" + target;
  }

  private static Optional<Object> memoryLimit(Map<String, Object> service) {
    if (service.get("mem_limit") != null) {
      return Optional.of(service.get("mem_limit"));
    }
    return Optional.ofNullable(service.get("deploy"))
        .map(deploy -> map(deploy, "deploy").get("resources"))
        .map(resources -> map(resources, "resources").get("limits"))
        .map(limits -> map(limits, "limits").get("memory"));
  }

  private static String healthcheckCommand(Map<String, Object> healthcheck) {
    Object test = healthcheck.get("test");
    assertThat(test).as("healthcheck test").isNotNull();
    if (test instanceof List<?> command) {
      return String.join(" ", command.stream().map(String::valueOf).toList());
    }
    return string(test);
  }

  private static List<Map<String, Object>> prometheusJobs() {
    return list(
            yamlFile("deploy/prometheus/prometheus.yml").get("scrape_configs"), "scrape_configs")
        .stream()
        .map(job -> map(job, "scrape_config"))
        .toList();
  }

  private static List<String> targets(Map<String, Object> job) {
    return list(job.get("static_configs"), job.get("job_name") + " static_configs").stream()
        .flatMap(config -> list(map(config, "static_config").get("targets"), "targets").stream())
        .map(DockerComposeTests::string)
        .toList();
  }

  private static List<Path> filesInRepository(
      String containerGlob, String mountPoint, String source) throws IOException {
    assertThat(containerGlob).as("rule file").startsWith(mountPoint);
    String glob = source + containerGlob.substring(mountPoint.length());
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    try (Stream<Path> files = Files.walk(REPO.resolve(source))) {
      return files.filter(file -> matcher.matches(REPO.relativize(file))).toList();
    }
  }

  private static Map<String, Object> kubernetesObject(String kind, String name) {
    List<Map<String, Object>> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(REPO.resolve("deploy/k8s"))) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        try (Reader reader = Files.newBufferedReader(file)) {
          for (Object document : yaml().loadAll(reader)) {
            if (document != null) {
              objects.add(map(document, file.getFileName().toString()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read deploy/k8s", e);
    }
    return objects.stream()
        .filter(object -> kind.equals(object.get("kind")))
        .filter(object -> name.equals(map(object.get("metadata"), "metadata").get("name")))
        .findFirst()
        .orElseGet(() -> fail("no Kubernetes %s named %s in deploy/k8s", kind, name));
  }

  /** Every {@code datasource} reference and every {@code expr} anywhere in a dashboard. */
  private static void collect(Object node, List<Object> datasources, List<String> expressions) {
    if (node instanceof Map<?, ?> object) {
      object.forEach(
          (key, value) -> {
            if ("datasource".equals(key)) {
              datasources.add(value);
            } else if ("expr".equals(key)) {
              expressions.add(String.valueOf(value));
            }
            collect(value, datasources, expressions);
          });
    } else if (node instanceof List<?> array) {
      array.forEach(element -> collect(element, datasources, expressions));
    }
  }

  /** Compose accepts both {@code KEY: value} maps and {@code KEY=value} lists. */
  private static Map<String, String> keyValues(Object node) {
    Map<String, String> values = new LinkedHashMap<>();
    if (node instanceof Map<?, ?> object) {
      object.forEach(
          (key, value) ->
              values.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
    } else if (node instanceof List<?> entries) {
      for (Object entry : entries) {
        String[] keyAndValue = String.valueOf(entry).split("=", 2);
        values.put(keyAndValue[0], keyAndValue.length > 1 ? keyAndValue[1] : "");
      }
    }
    return values;
  }

  /** The file's first YAML document (Spring's application.yml may add profile documents). */
  private static Map<String, Object> yamlFile(String relativePath) {
    Path file = REPO.resolve(relativePath);
    assertThat(file).as(relativePath).isRegularFile();
    try (Reader reader = Files.newBufferedReader(file)) {
      return map(yaml().loadAll(reader).iterator().next(), relativePath);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node, String what) {
    assertThat(node).as(what).isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node, String what) {
    assertThat(node).as(what).isInstanceOf(List.class);
    return (List<Object>) node;
  }

  private static String string(Object node) {
    assertThat(node).isNotNull();
    return String.valueOf(node);
  }
}
