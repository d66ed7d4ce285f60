/**
 * Sends exactly the bytes and headers a fuzz case asks for (fetch would fix up headers and
 * encodings) and measures how long the answer took.
 */
import http from 'node:http';

export interface RawRequest {
  method?: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawResponse {
  /** 0 when no HTTP answer came (connection reset, timeout). */
  status: number;
  body: string;
  ms: number;
  /** Why no answer came. */
  error?: string;
}

export function sendRaw(baseUrl: string, req: RawRequest, agent: http.Agent, timeoutMs: number): Promise<RawResponse> {
  const started = performance.now();
  const url = new URL(req.path, baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<RawResponse, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, ms: performance.now() - started });
    };
    const headers: Record<string, string> = { ...req.headers };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(req.body.length);
    const r = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method ?? 'POST', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), error: err.message }));
      },
    );
    r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', (err) => done({ status: 0, body: '', error: err.message }));
    r.end(req.body);
  });
}
