import { useState } from 'react';
import { Link } from 'react-router-dom';
import { CopyButton } from './CopyButton';

/** Snippets that send a first event, through this gateway, with an API key. */
export function snippets(origin: string, key = '$BEACON_API_KEY') {
  const curl = `curl -s ${origin}/api/obs/v1/events \\
  -H "Authorization: Bearer ${key}" -H 'Content-Type: application/json' \\
  -d '{"batch": [{"event_id": "'$(uuidgen)'", "type": "llm_call",
       "occurred_at": "'$(date -u +%Y-%m-%dT%H:%M:%SZ)'", "agent_id": "support-bot",
       "llm": {"provider": "openai", "model": "gpt-4o", "input_tokens": 1850, "output_tokens": 312}}]}'
# 200 {"accepted":1,"rejected":0}`;
  const java = `// <dependency><groupId>dev.beacon</groupId><artifactId>obs-sdk</artifactId></dependency>
BeaconClient beacon = BeaconClient.builder()
    .transport(Transport.http(URI.create("${origin}"), System.getenv("BEACON_API_KEY")))
    .agentId("support-bot")
    .build();

try (RunSpan run = beacon.startRun();
     LlmCallSpan call = beacon.trackLlmCall("openai", "gpt-4o")) {
  ChatResponse response = openAi.chat(request);
  call.usage(response.inputTokens(), response.outputTokens());
}`;
  const python = `# pip install ./sdk/python
import os, beacon_sdk

beacon_sdk.init("${origin}", api_key=os.environ["BEACON_API_KEY"], agent_id="support-bot")

with beacon_sdk.start_run():
    with beacon_sdk.track_llm_call("openai", "gpt-4o") as call:
        response = client.chat.completions.create(model="gpt-4o", messages=messages)
        call.set_usage(response.usage.prompt_tokens, response.usage.completion_tokens)`;
  const otlp = `# Any OpenTelemetry SDK or Collector: OTLP/HTTP traces with GenAI attributes
export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${origin}/api/obs/otlp/v1/traces
export OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf
export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${key}"
export OTEL_SERVICE_NAME=support-bot`;
  return { curl, java, python, otlp };
}

const TABS = [
  { key: 'curl', label: 'curl' },
  { key: 'java', label: 'Java SDK' },
  { key: 'python', label: 'Python SDK' },
  { key: 'otlp', label: 'OpenTelemetry (OTLP)' },
] as const;

/** The empty state that teaches: how to send the first event, four ways. */
export function SendFirstEvent({ apiKey }: { apiKey?: string }) {
  const [tab, setTab] = useState<(typeof TABS)[number]['key']>('curl');
  const code = snippets(window.location.origin, apiKey)[tab];
  return (
    <section className="panel" aria-labelledby="first-event-title" data-empty-state="true">
      <h2 id="first-event-title">Send your first event</h2>
      <p className="muted">
        This workspace has no events yet. {apiKey ? 'Use the key you just created' : <><Link to="/keys">Create an API key</Link>, then send an event</>} — it shows up here within seconds.
      </p>
      <div className="tabs" role="tablist" aria-label="How to send events">
        {TABS.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={`tab-${t.key}`}
            aria-selected={tab === t.key}
            aria-controls="snippet-panel"
            onClick={() => setTab(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div id="snippet-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="stack">
        <pre tabIndex={0}>
          <code>{code}</code>
        </pre>
        <CopyButton text={code} label="Copy snippet" />
      </div>
    </section>
  );
}
