/*
 * The harness's wire format: the contract's plain data as JSON, with raw bytes (attachments,
 * previews) carried as `{"$bytes": "<base64>"}`. Shared by the server (Node) and the shim
 * (browser); each side brings its own base64 functions.
 */

export interface Base64 {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array;
}

const TAG = '$bytes';

export function stringify(value: unknown, base64: Base64): string {
  // `this[key]` is the value before toJSON: a Node Buffer would otherwise arrive as {type, data}.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = key === '' ? value : this[key];
    return original instanceof Uint8Array ? { [TAG]: base64.encode(original) } : v;
  });
}

export function parse(text: string, base64: Base64): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && typeof tagged === 'string') return base64.decode(tagged);
    }
    return v;
  });
}
