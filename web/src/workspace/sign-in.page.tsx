/** Sign-in to the workspace; the session it starts replaces the "signed out" one in the cache. */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../data/api-client.js';
import { useSignIn } from '../data/session.queries.js';

function signInError(err: unknown): string {
  if (err instanceof ApiError && err.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (err instanceof ApiError && err.status === 401) return 'The email or password is not right.';
  return 'Signing in failed. Try again.';
}

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ email, password });
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Tipline</h1>
      <form onSubmit={submit}>
        {signIn.isError && (
          <p className="field-error" role="alert">
            {signInError(signIn.error)}
          </p>
        )}
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={signIn.isPending}>
          Sign in
        </button>
      </form>
    </main>
  );
}
