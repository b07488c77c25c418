import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  documentKeyId,
  exportPrivateKey,
  fingerprint,
  importKeyPair,
  makeDocumentKey,
  makeKeyPair,
  unwrapWith,
  wrapFor,
} from '../../../main/clients/key-wrap.ts';
import { openDocument, opensLegacy, sealDocument } from '../../../main/clients/sealer.ts';
import { sealedBefore } from '../../support/kept-before.ts';

describe('a document key granted to a counter', () => {
  const key = makeDocumentKey();
  const keyId = documentKeyId(key);
  const counterId = randomUUID();

  it('opens only with that counter’s private key, for that key and that counter', () => {
    const pair = makeKeyPair();
    const wrapped = wrapFor(pair.publicKey, key, { keyId, counterId });
    expect(unwrapWith(pair, wrapped, { keyId, counterId }).equals(key)).toBe(true);
    // Kept by the keystore and read back: the same key pair.
    expect(
      unwrapWith(importKeyPair(exportPrivateKey(pair.privateKey)), wrapped, { keyId, counterId }),
    ).toEqual(key);
    expect(() => unwrapWith(makeKeyPair(), wrapped, { keyId, counterId })).toThrow();
    expect(() => unwrapWith(pair, wrapped, { keyId, counterId: randomUUID() })).toThrow();
    expect(() => unwrapWith(pair, wrapped, { keyId: documentKeyId(makeDocumentKey()), counterId })).toThrow();
  });

  it('is refused when tampered with, or when it holds another key than its id names', () => {
    const pair = makeKeyPair();
    const wrapped = Buffer.from(wrapFor(pair.publicKey, key, { keyId, counterId }), 'base64');
    for (const at of [0, 1, 40, wrapped.length - 1]) {
      const bent = Buffer.from(wrapped);
      bent[at]! ^= 1;
      expect(() => unwrapWith(pair, bent.toString('base64'), { keyId, counterId }), `byte ${at}`).toThrow();
    }
    // Anyone can wrap a key for a public key; under another key's id it does not open.
    const planted = wrapFor(pair.publicKey, makeDocumentKey(), { keyId, counterId });
    expect(() => unwrapWith(pair, planted, { keyId, counterId })).toThrow(/not the key its id names/);
  });

  it('never holds the key or the counter’s private key in what the register keeps', () => {
    const pair = makeKeyPair();
    const wrapped = Buffer.from(wrapFor(pair.publicKey, key, { keyId, counterId }), 'base64');
    expect(wrapped.includes(key)).toBe(false);
    expect(wrapped.includes(Buffer.from(exportPrivateKey(pair.privateKey), 'base64').subarray(-32))).toBe(
      false,
    );
    // Each grant its own: an ephemeral key per wrap.
    expect(wrapFor(pair.publicKey, key, { keyId, counterId })).not.toBe(wrapped.toString('base64'));
  });

  it('has a fingerprint of five groups of four, the same wherever it is shown, another for another key', () => {
    const pair = makeKeyPair();
    expect(fingerprint(pair.publicKey)).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
    expect(fingerprint(importKeyPair(exportPrivateKey(pair.privateKey)).publicKey)).toBe(
      fingerprint(pair.publicKey),
    );
    expect(fingerprint(makeKeyPair().publicKey)).not.toBe(fingerprint(pair.publicKey));
  });

  it('refuses a public key that is not one', () => {
    expect(() => wrapFor(Buffer.alloc(31).toString('base64'), key, { keyId, counterId })).toThrow();
    // The all-zero point gives no shared secret.
    expect(() => wrapFor(Buffer.alloc(32).toString('base64'), key, { keyId, counterId })).toThrow();
  });
});

describe('a sealed document', () => {
  const key = makeDocumentKey();
  const keyId = documentKeyId(key);
  const plain = Buffer.from('%PDF-1.7 carta d’identità');

  it('opens with its key for its own row only', () => {
    const id = randomUUID();
    const sealed = sealDocument(key, keyId, id, plain);
    expect(sealed.includes('%PDF')).toBe(false);
    expect(openDocument(key, keyId, id, sealed)).toEqual(plain);
    expect(() => openDocument(key, keyId, randomUUID(), sealed)).toThrow(/non decifrabile/);
    expect(() => openDocument(makeDocumentKey(), keyId, id, sealed)).toThrow(/non decifrabile/);
    const bent = Buffer.from(sealed);
    bent[bent.length - 1]! ^= 1;
    expect(() => openDocument(key, keyId, id, bent)).toThrow(/non decifrabile/);
  });

  it('kept before (format 1, on a PC’s disk) opens with its key of before, and is told apart', () => {
    const id = randomUUID();
    const before = sealedBefore(key, id, plain);
    expect(opensLegacy(key, id, before)).toBe(true);
    expect(opensLegacy(makeDocumentKey(), id, before)).toBe(false);
    expect(opensLegacy(key, randomUUID(), before)).toBe(false);
    expect(opensLegacy(key, id, sealDocument(key, keyId, id, plain))).toBe(false);
    expect(openDocument(key, 'any', id, before)).toEqual(plain);
  });
});
