import { useState, type FormEvent } from 'react';
import { useMe } from '../api/hooks';
import { ApiError } from '../api/client';
import { useChatProviders, useRemoveProviderSettings, useSaveProviderSettings, useTestProvider, type ChatProvider } from '../api/chat';
import { Panel, errorText } from '../components/Panel';

function chatErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'encryption_unconfigured') {
    return 'API keys cannot be stored: chat-service has no encryption keyset (BEACON_CHAT_KEYSET is not set). Ask an operator to configure it.';
  }
  return errorText(error);
}

function ProviderCard({ provider, canWrite }: { provider: ChatProvider; canWrite: boolean }) {
  const save = useSaveProviderSettings();
  const remove = useRemoveProviderSettings();
  const test = useTestProvider();
  const [apiKey, setApiKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(provider.base_url ?? '');
  const [defaultModel, setDefaultModel] = useState(provider.default_model ?? '');
  const fieldErrors: Record<string, string> = {};
  if (save.error instanceof ApiError && save.error.errors) for (const e of save.error.errors) fieldErrors[e.field] ??= e.message;
  const p = provider.id;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        id: p,
        settings: {
          ...(apiKey ? { api_key: apiKey } : {}),
          base_url: baseUrl.trim() || null,
          default_model: defaultModel.trim() || null,
        },
      },
      { onSuccess: () => setApiKey('') },
    );
  };
  const verdict = test.data;

  return (
    <section className="panel stack" aria-labelledby={`provider-${p}-title`} data-provider={p}>
      <div className="panel-head">
        <h2 id={`provider-${p}-title`}>{provider.display_name}</h2>
        <div className="row">
          <span className="badge">{provider.family}</span>
          {provider.configured ? <span className="badge ok">configured</span> : !provider.hosted && <span className="badge">not configured</span>}
          {provider.hosted && <span className="badge ok" title="Calls use Beacon's key and spend this workspace's credits">hosted</span>}
        </div>
      </div>
      <dl className="small">
        <dt>API key</dt>
        <dd className="mono" data-testid={`provider-${p}-key`}>{provider.api_key ?? (provider.hosted && !provider.configured ? "Beacon's hosted key (uses credits)" : provider.requires_api_key ? 'none' : 'not needed')}</dd>
        <dt>Base URL</dt>
        <dd className="mono">{provider.base_url ?? provider.default_base_url ?? 'required'}</dd>
        <dt>Default model</dt>
        <dd className="mono">{provider.default_model ?? '—'}</dd>
        <dt>Models</dt>
        <dd>
          {provider.models_error
            ? <span style={{ color: 'var(--crit)' }}>{provider.models_error.code}: {provider.models_error.message}</span>
            : provider.models
              ? `${provider.models.length} models`
              : '—'}
        </dd>
      </dl>
      {canWrite && (
        <form className="stack" onSubmit={submit} aria-label={`${provider.display_name} settings`}>
          <div className="form-grid">
            <label>
              API key
              <input
                type="password"
                autoComplete="off"
                name={`${p}-api-key`}
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
                placeholder={provider.api_key ? 'leave empty to keep the stored key' : ''}
              />
              {fieldErrors['api_key'] && <span className="small" role="alert" style={{ color: 'var(--crit)' }}>{fieldErrors['api_key']}</span>}
            </label>
            <label>
              Base URL
              <input name={`${p}-base-url`} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder={provider.default_base_url ?? 'required'} />
              {fieldErrors['base_url'] && <span className="small" role="alert" style={{ color: 'var(--crit)' }}>{fieldErrors['base_url']}</span>}
            </label>
            <label>
              Default model
              <input name={`${p}-default-model`} value={defaultModel} onChange={(e) => setDefaultModel(e.target.value)} maxLength={200} />
              {fieldErrors['default_model'] && <span className="small" role="alert" style={{ color: 'var(--crit)' }}>{fieldErrors['default_model']}</span>}
            </label>
          </div>
          <div className="row">
            <button type="submit" className="primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save'}
            </button>
            <button type="button" onClick={() => test.mutate(p)} disabled={test.isPending || !(provider.configured || provider.hosted)}>
              {test.isPending ? 'Testing…' : 'Test connection'}
            </button>
            {provider.configured && (
              <button type="button" className="danger" onClick={() => remove.mutate(p)} disabled={remove.isPending}>
                Remove
              </button>
            )}
          </div>
          {(save.error || remove.error) && (
            <p className="panel-message error" role="alert">
              {chatErrorText(save.error ?? remove.error)}
            </p>
          )}
        </form>
      )}
      {(verdict || test.error) && (
        <p role="status" className="small" data-testid={`provider-${p}-verdict`}>
          {test.error
            ? chatErrorText(test.error)
            : verdict!.ok
              ? `Connection OK: ${verdict!.model_count} models.`
              : `Connection failed (${verdict!.code}): ${verdict!.message}`}
        </p>
      )}
    </section>
  );
}

export default function ChatProviders() {
  const me = useMe();
  const providers = useChatProviders();
  const canWrite = me.data !== undefined && me.data.role !== 'viewer';
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Model providers</h1>
          <p>This workspace's settings of the LLM providers its agents use. API keys are stored encrypted and never shown again.</p>
          {me.data?.role === 'viewer' && (
            <p className="small" data-testid="read-only">
              As a viewer you can see these settings but not change them.
            </p>
          )}
        </div>
      </div>
      <Panel id="chat-providers" title="Providers" loading={providers.isPending} error={providers.error} onRetry={() => providers.refetch()} ready={!!providers.data}>
        <div className="stack">
          {(providers.data ?? []).map((p) => (
            <ProviderCard key={p.id} provider={p} canWrite={canWrite} />
          ))}
        </div>
      </Panel>
    </div>
  );
}
