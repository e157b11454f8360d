import { createHash } from 'node:crypto';
import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256.js';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 digests of the standard messages', () => {
    expect(sha256Hex(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(sha256Hex(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto for every length from 0 to 300 bytes (block edges included), many seeds', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rnd = seededRandom(seed);
      for (let length = 0; length <= 300; length++) {
        const bytes = new Uint8Array(length);
        for (let i = 0; i < length; i++) bytes[i] = Math.floor(rnd() * 256);
        expect(sha256Hex(bytes), `seed ${seed}, ${length} bytes`).toBe(nodeSha256(bytes));
      }
    }
  });

  it('hashes only the view it is given, not the whole buffer under it', () => {
    const whole = Buffer.from('0123456789abcdef0123456789abcdef');
    const view = whole.subarray(5, 20);
    expect(sha256Hex(view)).toBe(nodeSha256(Buffer.from(view)));
  });
});
