/**
 * An error where the user looks for the result: the server's message (and its issues) for an API
 * error, the fallback for anything else; announced by screen readers (role="alert").
 */
import { errorText } from '../data/api-client.js';

export function ErrorBanner(props: { error: unknown; fallback?: string; issues?: boolean; as?: 'p' | 'span' }) {
  if (!props.error) return null;
  const Tag = props.as ?? 'p';
  const message = typeof props.error === 'string' ? props.error : errorText(props.error, props.fallback ?? 'Something went wrong; try again.', { issues: props.issues ?? true });
  return (
    <Tag className="field-error" role="alert">
      {message}
    </Tag>
  );
}
