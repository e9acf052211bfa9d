package dev.beacon.sdk;

import dev.beacon.events.EventType;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.ServiceDetails;
import dev.beacon.events.ToolDetails;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Beacon observability events without ever hurting the application that uses it.
 *
 * <p>{@link #emit(ObsEvent)} and every span only put the event in a bounded in-memory buffer and
 * return; a background thread batches the buffer by size and time and delivers it over the chosen
 * {@link Transport}, retrying what can be retried. No method on the event path blocks on the
 * network or throws: when the backend is down or slow the buffer fills, further events are dropped
 * and counted in {@link #stats()}, and that is all it costs.
 *
 * <pre>{@code
 * BeaconClient beacon = BeaconClient.builder()
 *     .transport(Transport.http(URI.create("https://beacon.example.com"), apiKey))
 *     .agentId("support-bot")
 *     .build();
 *
 * try (RunSpan run = beacon.startRun();
 *     LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
 *   call.usage(1850, 312);
 * }
 * beacon.close(); // delivers what is buffered
 * }</pre>
 *
 * A client is thread-safe; build one per application and close it on shutdown.
 */
public final class BeaconClient implements AutoCloseable {

  /** Metadata keys removed when content capture is off, unless others are configured. */
  public static final Set<String> DEFAULT_CONTENT_KEYS =
      Set.of("prompt", "response", "input", "output", "messages", "completion");

  private static final Logger log = LoggerFactory.getLogger(BeaconClient.class);

  private final String agentId;
  private final String serviceName;
  private final boolean captureContent;
  private final Set<String> contentKeys;
  private final UnaryOperator<ObsEvent> masker;
  private final Duration closeTimeout;
  private final ClientSettings settings;
  private final Counters counters = new Counters();
  private final EventPipeline pipeline;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private BeaconClient(Builder builder) {
    this.agentId = builder.agentId;
    this.serviceName = builder.serviceName;
    this.captureContent = builder.captureContent;
    this.contentKeys = Set.copyOf(builder.contentKeys);
    this.masker = builder.masker;
    this.closeTimeout = builder.closeTimeout;
    this.settings =
        new ClientSettings(
            builder.bufferCapacity,
            builder.batchSize,
            builder.batchDelay,
            new RetryPolicy(builder.maxAttempts, builder.initialBackoff, builder.maxBackoff));
    Sender sender = builder.transport.createSender(settings, counters);
    this.pipeline = new EventPipeline(settings, this::prepare, sender, counters);
    if (builder.shutdownHook) {
      this.shutdownHook = new Thread(this::close, "beacon-sdk-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      this.shutdownHook = null;
    }
  }

  /**
   * Starts configuring a client.
   *
   * @return a builder with the defaults described on its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends an event. Missing {@code event_id} and {@code occurred_at} are filled in, {@code
   * agent_id} defaults to the client's, and inside a span the event joins its run and trace as a
   * child. Returns at once; never throws.
   *
   * @param event the event; {@code workspace_id} is set by the backend
   */
  public void emit(ObsEvent event) {
    try {
      if (event == null) {
        return;
      }
      TraceContext context = TraceContext.current().orElse(null);
      enqueue(inherit(event, context));
    } catch (RuntimeException e) {
      swallow(e);
    }
  }

  /**
   * Starts a span around one LLM request; see {@link LlmCallSpan}.
   *
   * @param provider e.g. {@code openai}, {@code anthropic}
   * @param model the requested model, e.g. {@code gpt-4o}
   * @return the open span; close it when the call returns
   */
  public LlmCallSpan trackLlmCall(String provider, String model) {
    TraceContext previous = TraceContext.current().orElse(null);
    return new LlmCallSpan(this, child(previous), previous, provider, model);
  }

  /**
   * Starts a span around one tool execution, recorded as a {@code tool_call} event.
   *
   * @param name the tool's name as the agent sees it, e.g. {@code slack.post_message}
   * @param integration the integration it belongs to, e.g. {@code slack}, or {@code null}
   * @return the open span
   */
  public Span trackToolCall(String name, String integration) {
    TraceContext previous = TraceContext.current().orElse(null);
    return new Span(
        this,
        EventType.TOOL_CALL,
        child(previous),
        previous,
        new ToolDetails(orUnknown(name), integration),
        null);
  }

  /**
   * Starts a span around a call to another service or external API, recorded as a {@code
   * service_call} event.
   *
   * @param name the called service, e.g. {@code stripe}
   * @param operation what was called, e.g. {@code checkout.sessions.create}
   * @return the open span
   */
  public Span trackServiceCall(String name, String operation) {
    TraceContext previous = TraceContext.current().orElse(null);
    return new Span(
        this,
        EventType.SERVICE_CALL,
        child(previous),
        previous,
        null,
        new ServiceDetails(orUnknown(name), orUnknown(operation)));
  }

  /**
   * Starts a span around a service call named {@code integration.operation}: the part before the
   * first dot is the service, the rest the operation ({@code stripe.checkout.sessions.create}).
   *
   * @param integrationOperation the dotted name
   * @return the open span
   */
  public Span trackServiceCall(String integrationOperation) {
    String value = integrationOperation == null ? "" : integrationOperation;
    int dot = value.indexOf('.');
    if (dot <= 0 || dot == value.length() - 1) {
      return trackServiceCall(value, value);
    }
    return trackServiceCall(value.substring(0, dot), value.substring(dot + 1));
  }

  /**
   * Starts an agent run for the client's default agent: emits {@code run_start} now and {@code
   * run_end} when the returned span is closed.
   *
   * @return the open run
   */
  public RunSpan startRun() {
    return startRun(null, null);
  }

  /**
   * Starts an agent run.
   *
   * @param agentId the agent, or {@code null} for the client's default
   * @param runId the run id to use, or {@code null} to generate one
   * @return the open run
   */
  public RunSpan startRun(String agentId, String runId) {
    TraceContext previous = TraceContext.current().orElse(null);
    TraceContext context =
        new TraceContext(
            runId == null || runId.isEmpty() ? UUID.randomUUID().toString() : runId,
            previous == null ? Ids.traceId() : previous.traceId(),
            Ids.spanId(),
            agentId != null ? agentId : previous == null ? null : previous.agentId());
    try {
      enqueue(
          new ObsEvent(
              UUID.randomUUID(),
              EventType.RUN_START,
              Span.now(),
              null,
              context.agentId(),
              context.runId(),
              context.traceId(),
              context.spanId(),
              previous == null ? null : previous.spanId(),
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null));
    } catch (RuntimeException e) {
      swallow(e);
    }
    return new RunSpan(this, context, previous);
  }

  /**
   * Counts of what became of the events so far.
   *
   * @return a snapshot of the counters
   */
  public DeliveryStats stats() {
    return counters.snapshot();
  }

  /**
   * Events dropped so far: buffer full, client closed, or given up as undeliverable.
   *
   * @return the number of dropped events
   */
  public long droppedEvents() {
    return stats().dropped();
  }

  /**
   * Waits up to the close timeout until every event emitted before this call is delivered or given
   * up. Blocks the calling thread; meant for tests, batch jobs and shutdown.
   *
   * @return whether everything was handled in time
   */
  public boolean flush() {
    return flush(closeTimeout);
  }

  /**
   * Waits up to {@code timeout} until every event emitted before this call is delivered or given
   * up.
   *
   * @param timeout the longest wait
   * @return whether everything was handled in time
   */
  public boolean flush(Duration timeout) {
    try {
      return pipeline.flush(timeout);
    } catch (RuntimeException e) {
      swallow(e);
      return false;
    }
  }

  /**
   * Stops accepting events and delivers what is buffered, waiting at most the close timeout;
   * anything left after it is dropped and counted. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      pipeline.close(closeTimeout);
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      }
    } catch (RuntimeException e) {
      swallow(e);
    }
  }

  void enqueue(ObsEvent event) {
    counters.emitted.increment();
    pipeline.offer(withDefaults(event));
  }

  void swallow(RuntimeException e) {
    settings.warnOnce(log, "client-bug", "Beacon SDK swallowed an unexpected error", e);
  }

  private TraceContext child(TraceContext parent) {
    if (parent == null) {
      return new TraceContext(null, Ids.traceId(), Ids.spanId(), null);
    }
    return new TraceContext(parent.runId(), parent.traceId(), Ids.spanId(), parent.agentId());
  }

  private static String orUnknown(String value) {
    return value == null || value.isEmpty() ? "unknown" : value;
  }

  private static ObsEvent inherit(ObsEvent event, TraceContext context) {
    boolean joinTrace = context != null && event.traceId() == null;
    return Events.copy(
        event,
        event.agentId() != null || context == null ? event.agentId() : context.agentId(),
        event.runId() != null || context == null ? event.runId() : context.runId(),
        joinTrace ? context.traceId() : event.traceId(),
        joinTrace && event.spanId() == null ? Ids.spanId() : event.spanId(),
        joinTrace && event.parentSpanId() == null ? context.spanId() : event.parentSpanId(),
        event.metadata());
  }

  private ObsEvent withDefaults(ObsEvent event) {
    if (event.eventId() != null
        && event.occurredAt() != null
        && (event.agentId() != null || agentId == null)
        && serviceName == null) {
      return event;
    }
    Map<String, Object> metadata = event.metadata();
    if (serviceName != null && (metadata == null || !metadata.containsKey("source"))) {
      metadata = metadata == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metadata);
      metadata.put("source", serviceName);
    }
    ObsEvent copy =
        Events.copy(
            event,
            event.agentId() != null ? event.agentId() : agentId,
            event.runId(),
            event.traceId(),
            event.spanId(),
            event.parentSpanId(),
            metadata);
    return Events.withIdAndTime(copy);
  }

  /** Runs on the sender thread: content omission, then the application's masking callback. */
  private ObsEvent prepare(ObsEvent event) {
    ObsEvent prepared = event;
    if (!captureContent
        && prepared.metadata() != null
        && prepared.metadata().keySet().stream().anyMatch(contentKeys::contains)) {
      Map<String, Object> kept = new LinkedHashMap<>(prepared.metadata());
      kept.keySet().removeAll(contentKeys);
      prepared =
          Events.copy(
              prepared,
              prepared.agentId(),
              prepared.runId(),
              prepared.traceId(),
              prepared.spanId(),
              prepared.parentSpanId(),
              kept.isEmpty() ? null : kept);
    }
    return masker == null ? prepared : masker.apply(prepared);
  }

  /** Configures a {@link BeaconClient}; only the transport is required. */
  public static final class Builder {
    private Transport transport;
    private String agentId;
    private String serviceName;
    private boolean captureContent = true;
    private Set<String> contentKeys = DEFAULT_CONTENT_KEYS;
    private UnaryOperator<ObsEvent> masker;
    private int bufferCapacity = 10_000;
    private int batchSize = 100;
    private Duration batchDelay = Duration.ofSeconds(1);
    private int maxAttempts = 8;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private boolean shutdownHook;

    private Builder() {}

    /**
     * Where events go: {@link Transport#http} or {@link Transport#kafka}. Required.
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * The {@code agent_id} of events that set none. Default: none.
     *
     * @param agentId the agent
     * @return this builder
     */
    public Builder agentId(String agentId) {
      this.agentId = agentId;
      return this;
    }

    /**
     * Adds {@code metadata.source = serviceName} to every event that has no {@code source}, so a
     * platform service's events say where they came from. Default: not added.
     *
     * @param serviceName e.g. {@code billing-service}
     * @return this builder
     */
    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    /**
     * Whether prompt and response content in metadata is sent. When {@code false}, the {@link
     * #contentKeys(Set) content keys} are removed from every event's metadata before it leaves the
     * process. Default: {@code true}.
     *
     * @param captureContent whether to keep content
     * @return this builder
     */
    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    /**
     * The metadata keys that hold content. Default: {@link #DEFAULT_CONTENT_KEYS}.
     *
     * @param contentKeys the keys
     * @return this builder
     */
    public Builder contentKeys(Set<String> contentKeys) {
      this.contentKeys = Set.copyOf(contentKeys);
      return this;
    }

    /**
     * A callback applied to every event on the SDK's thread before it is sent, after content
     * omission: return a changed event (e.g. with e-mail addresses redacted), the same event, or
     * {@code null} to drop it (counted as filtered). If it throws, the event is dropped rather than
     * sent unmasked. Default: none.
     *
     * @param masker the callback
     * @return this builder
     */
    public Builder masker(UnaryOperator<ObsEvent> masker) {
      this.masker = masker;
      return this;
    }

    /**
     * Events held in memory while waiting to be sent; beyond it new events are dropped and counted.
     * Default: 10,000.
     *
     * @param bufferCapacity a positive number of events
     * @return this builder
     */
    public Builder bufferCapacity(int bufferCapacity) {
      this.bufferCapacity = positive(bufferCapacity, "bufferCapacity");
      return this;
    }

    /**
     * Events per batch, at most 1,000 (the ingest limit). Default: 100.
     *
     * @param batchSize 1 to 1,000
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > ClientSettings.MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("batchSize must be 1 to 1000, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The longest an event waits for its batch to fill before it is sent anyway. Default: 1 s.
     *
     * @param batchDelay a positive duration
     * @return this builder
     */
    public Builder batchDelay(Duration batchDelay) {
      this.batchDelay = positive(batchDelay, "batchDelay");
      return this;
    }

    /**
     * Attempts per batch over HTTP, the first included, before it is dropped. Default: 8.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = positive(maxAttempts, "maxAttempts");
      return this;
    }

    /**
     * Exponential backoff with jitter between HTTP attempts after 5xx and network errors, from
     * {@code initial} doubling up to {@code max}. A {@code Retry-After} from the server is honoured
     * instead (up to five minutes). Default: 500 ms to 30 s.
     *
     * @param initial the first backoff
     * @param max the largest backoff
     * @return this builder
     */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = positive(initial, "initial");
      this.maxBackoff = positive(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff is shorter than the initial one");
      }
      return this;
    }

    /**
     * How long {@link #close()} and {@link #flush()} wait for buffered events. Default: 10 s.
     *
     * @param closeTimeout a positive duration
     * @return this builder
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = positive(closeTimeout, "closeTimeout");
      return this;
    }

    /**
     * Whether to close the client (and so deliver buffered events) in a JVM shutdown hook, for
     * applications that do not close it themselves. Spring closes a {@code BeaconClient} bean on
     * its own. Default: {@code false}.
     *
     * @param shutdownHook whether to register the hook
     * @return this builder
     */
    public Builder shutdownHook(boolean shutdownHook) {
      this.shutdownHook = shutdownHook;
      return this;
    }

    /**
     * Builds the client and starts its sender thread.
     *
     * @return the client
     * @throws IllegalStateException when no transport was set
     */
    public BeaconClient build() {
      if (transport == null) {
        throw new IllegalStateException(
            "a transport is required: Transport.http or Transport.kafka");
      }
      return new BeaconClient(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
      }
      return value;
    }
  }
}
