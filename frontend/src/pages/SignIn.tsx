import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api/client';

/** Magic-link sign-in: POST /ott/generate with the address; the gateway mails a one-time link. */
export function SignIn() {
  const [email, setEmail] = useState('');
  const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setState('sending');
    try {
      await api('/ott/generate', { method: 'POST', form: { username: email.trim() } });
      setState('sent');
    } catch (err) {
      setState('idle');
      if (err instanceof ApiError && err.code === 'invalid_email') setError('That does not look like an email address.');
      else if (err instanceof ApiError && err.code === 'too_many_login_requests')
        setError('Too many sign-in requests. Wait a few minutes and try again.');
      else setError(err instanceof Error ? err.message : 'Could not send the link.');
    }
  };

  return (
    <main className="login-page">
      <div className="panel login-card stack">
        <div className="brand">
          <span className="brand-dot" aria-hidden="true" /> Beacon
        </div>
        <h1>Sign in</h1>
        {state === 'sent' ? (
          <div className="callout" role="status" data-testid="link-sent">
            <p>
              If <strong>{email.trim()}</strong> can sign in, a sign-in link is on its way. It works once, for 15 minutes.
            </p>
            <p className="small muted">
              Running the local stack? Mails land in the <a href="/dev/mailbox">development mailbox</a>.
            </p>
            <button type="button" className="link" onClick={() => setState('idle')}>
              Use another address
            </button>
          </div>
        ) : (
          <form onSubmit={submit} className="stack" noValidate>
            <p className="muted">We email you a one-time sign-in link. New here? The same link creates your account and workspace.</p>
            <label>
              Email address
              <input
                type="email"
                name="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'signin-error' : undefined}
              />
            </label>
            {error && (
              <p id="signin-error" className="panel-message error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="primary" disabled={state === 'sending' || !email.trim()}>
              {state === 'sending' ? 'Sending…' : 'Email me a sign-in link'}
            </button>
          </form>
        )}
        <p className="small muted">
          Already signed in? <Link to="/overview">Go to the overview</Link>
        </p>
      </div>
    </main>
  );
}
