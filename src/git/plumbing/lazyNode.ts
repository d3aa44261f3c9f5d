// Node's crypto and zlib, required on first use. The status worker's bundle holds the modules that use them, but a
// new worker's first status (a freshly opened window) needs neither: the index's checksum was checked by the
// extension host that read it (StatusWorkerClient), HEAD's tree came from there too, and a clean working tree hashes
// nothing. Required at the bundle's start, the two took some 3.5 ms of the worker's start (its thread's CPU time,
// measured in a new worker: 23.5 ms with them, 20 without).
import type * as Crypto from 'crypto';
import type * as Zlib from 'zlib';

let crypto: typeof Crypto | undefined;
let zlib: typeof Zlib | undefined;

/** Node's crypto module, loaded on the first call. */
export function nodeCrypto(): typeof Crypto {
  crypto ??= require('crypto') as typeof Crypto;
  return crypto;
}

/** Node's zlib module, loaded on the first call. */
export function nodeZlib(): typeof Zlib {
  zlib ??= require('zlib') as typeof Zlib;
  return zlib;
}
