package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.JsonValue;
import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo provider through the official OpenAI Java SDK, the one chat-service reaches
 * OpenAI-compatible providers with (through Spring AI): its answers, streamed chunks and errors
 * parse and validate. The SDK's own HTTP transports are not on this module's classpath, so a small
 * adapter sends its requests with the JDK's client.
 */
class DemoProviderOpenAiSdkTests {

  private static final JsonMapper JSON = JsonMapper.shared();

  private static DemoProvider provider;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    provider = DemoProvider.start(0, Clock.systemUTC(), Duration.ZERO);
    client =
        new OpenAIClientImpl(
            ClientOptions.builder()
                .httpClient(new JdkHttpClient())
                .baseUrl(provider.baseUrl() + "/v1")
                .apiKey("no-key-needed")
                .maxRetries(0)
                .build());
  }

  @AfterAll
  static void stop() {
    client.close();
    provider.close();
  }

  @Test
  void theSdkListsTheDemoModel() {
    List<Model> models = client.models().list().data();

    assertThat(models).hasSize(1);
    models.get(0).validate();
    assertThat(models.get(0).id()).isEqualTo("beacon-demo");
    assertThat(models.get(0).ownedBy()).isEqualTo("beacon-demo");
  }

  @Test
  void theSdkParsesAPlainCompletion() {
    ChatCompletion completion = client.chat().completions().create(params("Hello").build());

    completion.validate();
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.choices().get(0).message().content())
        .hasValueSatisfying(content -> assertThat(content).startsWith("**Demo provider**"));
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(2);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(0L);
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(0L);
  }

  @Test
  void theSdkAccumulatesAStreamedAnswerWithItsUsage() {
    ChatCompletion completion = streamed(params("Hello").build());

    assertThat(completion.choices().get(0).message().content())
        .hasValueSatisfying(
            content -> assertThat(content).startsWith("**Demo provider**").contains("> Hello"));
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(2);
  }

  @Test
  void theSdkReassemblesAStreamedToolCallAndTheConversationContinuesAfterARejection() {
    ChatCompletionCreateParams.Builder params =
        params("Send an email to the team about the 🚀 launch")
            .addFunctionTool(tool(DemoScript.SEND_EMAIL))
            .addFunctionTool(tool(DemoScript.LOOKUP_ORDER));

    ChatCompletion completion = streamed(params.build());

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall call =
        choice.message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).startsWith("call_demo_");
    assertThat(call.function().name()).isEqualTo(DemoScript.SEND_EMAIL);
    JsonNode arguments = JSON.readTree(call.function().arguments());
    assertThat(arguments.path("to").asString()).isEqualTo("team@example.com");
    assertThat(arguments.path("body").asString()).contains("🚀 launch");

    ChatCompletion answer =
        streamed(
            params
                .addMessage(choice.message())
                .addMessage(
                    ChatCompletionToolMessageParam.builder()
                        .toolCallId(call.id())
                        .content("rejected: a person rejected this call. It was not executed.")
                        .build())
                .build());

    assertThat(answer.choices().get(0).message().content())
        .contains("Understood — I did not send the email.");
  }

  @Test
  void theSdkSeesAnUnknownModelAsNotFound() {
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("gpt-4o")
                            .addUserMessage("Hello")
                            .build()))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.code()).contains("model_not_found");
              assertThat(e.type()).contains("invalid_request_error");
            });
  }

  private static ChatCompletionCreateParams.Builder params(String message) {
    return ChatCompletionCreateParams.builder()
        .model(DemoScript.MODEL)
        .addUserMessage(message)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
  }

  private static FunctionDefinition tool(String name) {
    return FunctionDefinition.builder()
        .name(name)
        .parameters(
            FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .build())
        .build();
  }

  /** Streams, validates every chunk, and returns what the SDK's accumulator builds from them. */
  private static ChatCompletion streamed(ChatCompletionCreateParams params) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> accumulator.accumulate(chunk.validate()));
    }
    ChatCompletion completion = accumulator.chatCompletion();
    completion.validate();
    return completion;
  }

  /** The SDK's transport interface over {@link java.net.http.HttpClient}. */
  private static final class JdkHttpClient implements HttpClient {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED =
        Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    @Override
    public HttpResponse execute(HttpRequest request) {
      return execute(request, RequestOptions.none());
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
      java.net.http.HttpRequest.Builder builder =
          java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
      for (String name : request.headers().names()) {
        if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          request.headers().values(name).forEach(value -> builder.header(name, value));
        }
      }
      if (request.body() == null) {
        builder.method(request.method().name(), java.net.http.HttpRequest.BodyPublishers.noBody());
      } else {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        request.body().writeTo(body);
        if (request.body().contentType() != null) {
          builder.header("Content-Type", request.body().contentType());
        }
        builder.method(
            request.method().name(),
            java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
      }
      java.net.http.HttpResponse<InputStream> response;
      try {
        response =
            http.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Headers.Builder headers = Headers.builder();
      response.headers().map().forEach(headers::put);
      Headers responseHeaders = headers.build();
      return new HttpResponse() {
        @Override
        public int statusCode() {
          return response.statusCode();
        }

        @Override
        public Headers headers() {
          return responseHeaders;
        }

        @Override
        public java.util.Optional<String> requestId() {
          return java.util.Optional.empty();
        }

        @Override
        public InputStream body() {
          return response.body();
        }

        @Override
        public void close() {
          try {
            response.body().close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request) {
      return executeAsync(request, RequestOptions.none());
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(
        HttpRequest request, RequestOptions requestOptions) {
      return CompletableFuture.supplyAsync(() -> execute(request, requestOptions));
    }

    @Override
    public void close() {}
  }
}
