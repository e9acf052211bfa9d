package dev.beacon.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/** Posts batches to {@code POST /api/obs/v1/events} with an API key, optionally gzip-encoded. */
final class IngestClient {

  /**
   * One answer.
   *
   * @param status HTTP status, or -1 when the request failed without one
   * @param retryAfterSeconds the {@code Retry-After} header, or 0
   * @param body the response body
   */
  record Answer(int status, long retryAfterSeconds, String body) {}

  private final HttpClient http;
  private final URI events;
  private final String authorization;
  private final boolean gzip;

  IngestClient(String baseUrl, String apiKey, boolean gzip) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.events = URI.create(baseUrl.replaceAll("/+$", "") + "/api/obs/v1/events");
    this.authorization = "Bearer " + apiKey;
    this.gzip = gzip;
  }

  Answer post(byte[] json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(events)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json");
    byte[] body = json;
    if (gzip) {
      body = gzip(json);
      request.header("Content-Encoding", "gzip");
    }
    try {
      HttpResponse<String> response =
          http.send(
              request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
              HttpResponse.BodyHandlers.ofString());
      long retryAfter =
          response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L);
      return new Answer(response.statusCode(), retryAfter, response.body());
    } catch (IOException e) {
      return new Answer(-1, 0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, 0, "interrupted");
    }
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
