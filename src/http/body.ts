/**
 * Reading request bodies at the edge without trusting the client: the media type and encoding
 * are checked before a byte is read, and at most `limit` bytes are ever held in memory (after
 * decompression, when gzip is allowed), so neither a large body nor a small gzip bomb can fill
 * the memory, and a broken stream never throws out of an event handler.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';

export interface MediaType {
  /** Lower case, e.g. "application/json". */
  type: string;
  /** Parameter names lower case, values unquoted. */
  params: Record<string, string>;
}

/** Parses a Content-Type header; undefined when it is missing or not of the form type/subtype. */
export function parseMediaType(header: string | undefined): MediaType | undefined {
  if (!header) return undefined;
  const [head, ...rest] = header.split(';');
  const type = head!.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 1) continue;
    let value = p.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params[p.slice(0, eq).trim().toLowerCase()] = value;
  }
  return { type, params };
}

/**
 * The body's Content-Encoding: "identity" when absent. Several codings ("gzip, br") or an unknown
 * one come back as written, for the caller to refuse.
 */
export function contentEncoding(header: string | undefined): string {
  const v = (header ?? '').trim().toLowerCase();
  return v === '' ? 'identity' : v;
}

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413; error: string; reason: string };

export interface ReadOptions {
  /** The most bytes to hold: the body as sent, and after gunzip the inflated size. */
  limit: number;
  gzip?: boolean;
}

/**
 * Reads the whole body, or stops at the first problem and reads no further; what happens to the
 * unread rest is the caller's answer (see `refuse` in server.ts).
 */
export function readBody(req: IncomingMessage, { limit, gzip = false }: ReadOptions): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ ok: false, status: 413, error: 'body too large', reason: 'content-length over the limit' });
  }
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let held = 0;
    let received = 0;
    let settled = false;
    const gunzip = gzip ? createGunzip() : undefined;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onRaw);
      req.pause();
      if (gunzip) {
        gunzip.removeAllListeners('data');
        gunzip.on('error', () => undefined);
        gunzip.destroy();
      }
      if (!result.ok) chunks.length = 0;
      resolve(result);
    };
    const tooLarge = (reason: string) => finish({ ok: false, status: 413, error: 'body too large', reason });
    const keep = (chunk: Buffer) => {
      held += chunk.length;
      if (held > limit) return tooLarge(gunzip ? 'inflated body over the limit' : 'body over the limit');
      chunks.push(chunk);
    };
    const onRaw = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return tooLarge('body over the limit');
      if (!gunzip) return keep(chunk);
      // Back-pressure: inflate one chunk at a time, so the inflated bytes are counted as they appear.
      if (!gunzip.write(chunk)) {
        req.pause();
        gunzip.once('drain', () => !settled && req.resume());
      }
    };
    req.on('data', onRaw);
    // Kept for the request's lifetime: an error after the answer (a reset) must not go unhandled.
    req.on('error', () => finish({ ok: false, status: 400, error: 'bad request', reason: 'the request stream failed' }));
    req.once('aborted', () => finish({ ok: false, status: 400, error: 'bad request', reason: 'the client aborted the request' }));
    if (gunzip) {
      gunzip.on('data', keep);
      gunzip.once('error', () => finish({ ok: false, status: 400, error: 'malformed gzip', reason: 'the body is not valid gzip' }));
      gunzip.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks) }));
      req.once('end', () => !settled && gunzip.end());
    } else {
      req.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks) }));
    }
  });
}
