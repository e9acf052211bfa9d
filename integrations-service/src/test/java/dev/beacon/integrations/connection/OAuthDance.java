package dev.beacon.integrations.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.beacon.integrations.IntegrationsStandIns;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/** Reading the wire: authorization URLs' query and the form bodies the providers received. */
final class OAuthDance {

  private OAuthDance() {}

  /** The decoded query parameters of an authorization URL. */
  static Map<String, String> query(String url) {
    Map<String, String> params = new LinkedHashMap<>();
    UriComponentsBuilder.fromUri(URI.create(url))
        .build()
        .getQueryParams()
        .forEach((name, values) -> params.put(name, decode(values.get(0))));
    return params;
  }

  /** A form-encoded body as a map (each field once). */
  static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      String name = decode(pair.substring(0, equals));
      assertThat(fields).as("field %s appears once", name).doesNotContainKey(name);
      fields.put(name, decode(pair.substring(equals + 1)));
    }
    return fields;
  }

  /** The one POST to {@code path} whose form has {@code field = value}. */
  static LoggedRequest onePost(String path, String field, String value) {
    List<LoggedRequest> requests =
        IntegrationsStandIns.PROVIDERS.findAll(
            postRequestedFor(urlPathEqualTo(path)).withFormParam(field, equalTo(value)));
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
