package dev.beacon.integrations.mcp;

import dev.beacon.identity.error.ApiException;
import dev.beacon.integrations.config.McpProperties;
import dev.beacon.integrations.events.IntegrationEvents;
import dev.beacon.integrations.tool.domain.ToolRegistry;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import java.util.HashMap;
import java.util.Map;
import org.springframework.ai.mcp.server.webflux.transport.WebFluxStatelessServerTransport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves {@link McpToolServer} at {@value #PATH} with Spring AI's stateless WebFlux transport for
 * the MCP Java SDK: a JSON-RPC message per {@code POST}, answered with one JSON response ({@code
 * GET} is 405: there is no server-to-client stream). The request passes the identity library's
 * filter chain first, like every other path of the service.
 */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

  /** Where MCP clients post their messages (the gateway routes it under the same path). */
  static final String PATH = "/api/integrations/mcp";

  /** The transport context's key for the request's W3C {@code traceparent} header. */
  static final String TRACEPARENT = "traceparent";

  @Bean(destroyMethod = "close")
  WebFluxStatelessServerTransport mcpTransport(
      ToolRegistry registry,
      IntegrationEvents events,
      McpProperties properties,
      ObjectProvider<BuildProperties> build) {
    McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    WebFluxStatelessServerTransport transport =
        WebFluxStatelessServerTransport.builder()
            .jsonMapper(json)
            .messageEndpoint(PATH)
            .contextExtractor(
                request -> {
                  Map<String, Object> context = new HashMap<>();
                  request.headers().header(TRACEPARENT).stream()
                      .findFirst()
                      .ifPresent(value -> context.put(TRACEPARENT, value));
                  return McpTransportContext.create(context);
                })
            .build();
    BuildProperties info = build.getIfAvailable();
    transport.setMcpHandler(
        new McpToolServer(
            registry,
            events,
            json,
            properties.writeTools(),
            info == null || info.getVersion() == null ? "dev" : info.getVersion()));
    return transport;
  }

  /**
   * The transport's routes; a body over WebFlux's in-memory limit (256 KB) is answered 413 {@code
   * request_too_large} (the transport would let it become a 500).
   */
  @Bean
  @SuppressWarnings("unchecked")
  RouterFunction<ServerResponse> mcpRoutes(WebFluxStatelessServerTransport transport) {
    return ((RouterFunction<ServerResponse>) transport.getRouterFunction())
        .filter(
            (request, next) ->
                next.handle(request)
                    .onErrorResume(
                        DataBufferLimitException.class,
                        e -> {
                          ApiException tooLarge =
                              new ApiException(
                                  HttpStatus.CONTENT_TOO_LARGE,
                                  "request_too_large",
                                  "An MCP message may be at most 256 KB.");
                          return ServerResponse.status(tooLarge.status())
                              .contentType(MediaType.APPLICATION_JSON)
                              .bodyValue(tooLarge.body());
                        }));
  }
}
