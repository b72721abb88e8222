/**
 * The one error catalogue: every error a client can see has a stable code, an HTTP status and a
 * message that leaks neither internals nor personal data.
 *
 * @example
 *   throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
 *   throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/reporter', message: 'Required' }] });
 */
export const errorCatalogue = {
  TIP_ERR_INPUT_INVALID: { status: 400, message: 'The request is invalid; see issues for every problem.' },
  TIP_ERR_INPUT_MALFORMED: { status: 400, message: 'The request body could not be parsed.' },
  TIP_ERR_INPUT_UNSUPPORTED_MEDIA: { status: 415, message: 'The request body has an unsupported content type.' },
  TIP_ERR_INPUT_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  TIP_ERR_AUTH_REQUIRED: { status: 401, message: 'Credentials are required.' },
  TIP_ERR_AUTH_INVALID: { status: 401, message: 'The credentials are not valid.' },
  TIP_ERR_AUTH_FORBIDDEN: { status: 403, message: 'These credentials may not do this.' },
  TIP_ERR_NOT_FOUND: { status: 404, message: 'Not found.' },
  TIP_ERR_REPORT_NOT_FOUND: { status: 404, message: 'No such report.' },
  TIP_ERR_REPORT_NOT_OPEN: { status: 409, message: 'The report is no longer open.' },
  TIP_ERR_REPORT_ALREADY_FINISHED: { status: 409, message: 'The report was already finished.' },
  TIP_ERR_REPORT_ALREADY_RETRACTED: { status: 409, message: 'The report was already retracted.' },
  TIP_ERR_IDEMPOTENCY_CONFLICT: { status: 409, message: 'This Idempotency-Key was used with a different request body.' },
  TIP_ERR_IDEMPOTENCY_KEY_INVALID: { status: 400, message: 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.' },
  TIP_ERR_BATCH_TOO_LARGE: { status: 413, message: 'A batch holds at most 1,000 reports.' },
  TIP_ERR_FILE_MISSING: { status: 400, message: 'The multipart request has no file part.' },
  TIP_ERR_ORG_NOT_FOUND: { status: 404, message: 'No such organisation.' },
  TIP_ERR_ORG_INVALID: { status: 400, message: 'The organisation is not valid for this.' },
  TIP_ERR_USER_EXISTS: { status: 409, message: 'A user with this email already exists.' },
  TIP_ERR_MATCH_HASH_INVALID: { status: 400, message: 'A PDQ hash must be 64 hexadecimal digits.' },
  TIP_ERR_MATCH_QUERY_INVALID: { status: 400, message: 'A PDQ query takes 1 to 8 hashes and a distance from 0 to 256.' },
  TIP_ERR_MATCH_ENTRY_ID_INVALID: { status: 400, message: 'A PDQ index entry id must be a non-negative safe integer.' },
  TIP_ERR_MATCH_INDEX_FULL: { status: 507, message: 'The PDQ index cannot hold more hashes.' },
  TIP_ERR_MATCH_SNAPSHOT_INVALID: { status: 500, message: 'The PDQ index snapshot is unreadable or corrupt.' },
  TIP_ERR_MEDIA_UNDECODABLE: { status: 422, message: 'The image could not be decoded: it is corrupt, truncated or not an image.' },
  TIP_ERR_MEDIA_TOO_LARGE: { status: 413, message: 'The image is over the size or pixel limit for decoding.' },
  TIP_ERR_MEDIA_UNSUPPORTED: { status: 415, message: 'The image format is not supported; use JPEG, PNG, WebP, GIF or TIFF.' },
  TIP_ERR_RULEPACK_INVALID: { status: 400, message: 'The rule pack is invalid; see issues for every problem.' },
  TIP_ERR_RULEPACK_NOT_FOUND: { status: 404, message: 'No rule pack for this jurisdiction.' },
  TIP_ERR_TRIAGE_NOT_FOUND: { status: 404, message: 'No such triage item for this organisation.' },
  TIP_ERR_TRIAGE_CURSOR_INVALID: { status: 400, message: 'The cursor is not valid; start again without a cursor.' },
  TIP_ERR_FEDERATION_UNKNOWN_SENDER: { status: 403, message: 'The sender is not a configured peer of the recipient, or signed with a key not configured for it.' },
  TIP_ERR_FEDERATION_SIGNATURE_INVALID: { status: 400, message: 'A signature in the message does not verify: the message was altered or not signed by its claimed sender.' },
  TIP_ERR_FEDERATION_DIGEST_MISMATCH: { status: 422, message: 'The evidence does not match the digests in the signed manifest.' },
  TIP_ERR_FEDERATION_MESSAGE_INVALID: { status: 400, message: 'The federation message is malformed or not addressed to this deployment.' },
  TIP_ERR_FEDERATION_REPLAYED: { status: 409, message: 'A message with this id was already received with different content.' },
  TIP_ERR_FEDERATION_PEER_UNREACHABLE: { status: 502, message: 'The peer could not be reached or did not answer as expected.' },
  TIP_ERR_REFERRAL_NOT_FOUND: { status: 404, message: 'No such referral.' },
  TIP_ERR_REFERRAL_STATE: { status: 409, message: 'The referral is not in a state that allows this.' },
  TIP_ERR_REFERRAL_NO_ROUTE: { status: 422, message: 'No route or recipient for this referral.' },
  TIP_ERR_REFERRAL_EMPTY: { status: 422, message: 'The referral holds no incidents the sender may refer.' },
  TIP_ERR_SESSION_CSRF: { status: 403, message: 'The request lacks a valid CSRF token for this session; reload the page and try again.' },
  TIP_ERR_RECEIPT_NOT_FOUND: { status: 404, message: 'No report has this receipt code.' },
  TIP_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  TIP_ERR_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable; retry later.' },
  TIP_ERR_INTERNAL: { status: 500, message: 'An internal error occurred; it has been logged.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorIssue {
  /** JSON pointer into the request body, e.g. /reporter/reportingPerson/email/0 */
  path: string;
  message: string;
  code?: string;
}

export class TiplineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: ErrorIssue[] | undefined;

  constructor(code: ErrorCode, options: { issues?: ErrorIssue[]; message?: string } = {}) {
    super(options.message ?? errorCatalogue[code].message);
    this.name = 'TiplineError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.issues = options.issues;
  }

  toJSON(): { error: { code: ErrorCode; message: string; issues?: ErrorIssue[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

/** Converts a list of path segments to an RFC 6901 JSON pointer. */
export function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
