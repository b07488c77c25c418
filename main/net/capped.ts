/*
 * Reading an HTTP answer with a ceiling: the body is counted as it arrives and the download is
 * stopped at the limit, whether or not the server declared a Content-Length. `response.text()`
 * and `arrayBuffer()` would hold whatever a broken or hostile server sends.
 */

export const MB = 1024 * 1024;

/** The answer was larger than `limit` bytes; nothing more of it was read. */
export class AnswerTooLarge extends Error {
  readonly limit: number;

  constructor(limit: number) {
    super(`answer larger than ${limit} bytes`);
    this.name = 'AnswerTooLarge';
    this.limit = limit;
  }
}

/** The whole body, refused (AnswerTooLarge) as soon as it passes `limit` bytes. */
export async function readCapped(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new AnswerTooLarge(limit);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge(limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** The body as UTF-8 text, with the same ceiling. */
export async function readCappedText(response: Response, limit: number): Promise<string> {
  return new TextDecoder().decode(await readCapped(response, limit));
}

/** "16 MB": a limit as the clerk reads it. */
export const megabytes = (bytes: number) => `${Math.round(bytes / MB)} MB`;
