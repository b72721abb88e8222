/**
 * Multipart uploads shared by the JSON and XML APIs: the parts of a request with a broken body
 * turned into the API's own client error (busboy throws plain errors that would otherwise be
 * answered with a 500), and a bounded drain of what is left of a refused body.
 *
 * @example
 *   for await (const part of multipartParts(request, (m) => new TiplineError('TIP_ERR_INPUT_MALFORMED', { message: m }))) { … }
 */
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { TiplineError } from '../../contracts/errors.js';

/** Errors already in an API's vocabulary (or Fastify's own FST_ limits, mapped by the error handler) pass through. */
function isKnown(err: unknown): boolean {
  if (err instanceof TiplineError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('FST_');
}

/** A description of a busboy failure, short enough for an error message. */
export function multipartFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `the multipart/form-data body is malformed (${message.slice(0, 200)})`;
}

/**
 * What a multipart failure becomes: a known error (a TiplineError, an FST_ limit) or one that
 * `passThrough` accepts as it is, anything else (busboy's plain errors) `malformed(description)`.
 */
export function asMultipartError(err: unknown, malformed: (description: string) => unknown, passThrough: (err: unknown) => boolean = () => false): unknown {
  return isKnown(err) || passThrough(err) ? err : malformed(multipartFailure(err));
}

/**
 * The request's parts; a malformed body ends the iteration with `malformed(description)`, and a
 * known error (a TiplineError, an FST_ limit) or one that `passThrough` accepts is rethrown as is.
 */
export async function* multipartParts(
  request: FastifyRequest,
  malformed: (description: string) => unknown,
  passThrough: (err: unknown) => boolean = () => false,
): AsyncGenerator<Multipart> {
  const iterator = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await iterator.next();
    } catch (err) {
      throw asMultipartError(err, malformed, passThrough);
    }
    if (next.done) return;
    yield next.value;
  }
}

const maxDrainBytes = 64 * 1024 * 1024;
const maxDrainMs = 30_000;

/**
 * Reads and discards what is left of a request body that was refused part-way (an upload over the
 * limit, a broken multipart body), so that the client, still sending, reads the answer instead of a
 * reset, and the connection stays usable. False when too much is left: then the connection closes.
 */
export async function drainRequest(request: FastifyRequest): Promise<boolean> {
  const raw = request.raw;
  if (raw.complete || raw.readableEnded || raw.destroyed) return true;
  return new Promise<boolean>((resolve) => {
    let seen = 0;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onEnd);
      if (!ok) raw.pause();
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxDrainBytes) done(false);
    };
    const onEnd = () => done(true);
    const timer = setTimeout(() => done(false), maxDrainMs);
    raw.on('data', onData).once('end', onEnd).once('close', onEnd).once('error', onEnd);
    raw.resume();
  });
}
