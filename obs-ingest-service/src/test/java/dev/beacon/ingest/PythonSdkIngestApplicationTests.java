package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_KEY;
import static dev.beacon.ingest.IngestTestKit.publishedFor;
import static dev.beacon.ingest.IngestTestKit.uniqueAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.beacon.testsupport.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Runs the Python SDK's real-ingest suite ({@code sdk/python/tests/test_real_ingest.py}) against
 * this service on its random port, with the bootstrap key, and checks what reached Kafka. Skipped
 * only when {@code python3} is not installed.
 */
@IntegrationTest
class PythonSdkIngestApplicationTests {

  static final Path PYTHON_SDK = Path.of("..", "sdk", "python").toAbsolutePath().normalize();

  @LocalServerPort int port;

  @Test
  void pythonSdkSuitePassesAgainstTheRealIngestAndItsEventsAreOnKafka() throws Exception {
    assumeTrue(pythonAvailable(), "python3 is not installed");
    assertThat(PYTHON_SDK.resolve("tests/test_real_ingest.py")).exists();
    String agent = uniqueAgent();

    ProcessBuilder unittest =
        new ProcessBuilder("python3", "-m", "unittest", "-v", "tests.test_real_ingest")
            .directory(PYTHON_SDK.toFile())
            .redirectErrorStream(true);
    unittest.environment().put("BEACON_TEST_INGEST_URL", "http://localhost:" + port);
    unittest.environment().put("BEACON_TEST_API_KEY", BOOTSTRAP_KEY);
    unittest.environment().put("BEACON_TEST_AGENT_ID", agent);
    unittest.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = unittest.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("python3 finished").isTrue();
    String log = new String(output, StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(log).isZero();
    assertThat(log).contains("Ran 2 tests").doesNotContain("skipped");
    assertThat(publishedFor(agent))
        .extracting(p -> p.value().get("type").asString())
        .containsExactlyInAnyOrder("run_start", "llm_call", "run_end");
    JsonNode llm =
        publishedFor(agent).stream()
            .filter(p -> p.value().get("type").asString().equals("llm_call"))
            .findFirst()
            .orElseThrow()
            .value()
            .get("llm");
    assertThat(llm.get("input_tokens").asLong()).isEqualTo(10);
    assertThat(llm.get("output_tokens").asLong()).isEqualTo(5);
  }

  private static boolean pythonAvailable() {
    try {
      Process version =
          new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
