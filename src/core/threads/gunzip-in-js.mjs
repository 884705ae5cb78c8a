// @ts-check
// node:zlib's createGunzip, in JavaScript, for worker threads that may be terminated.
//
// On Node 20, terminating a worker thread while it constructs a zlib handle aborts the whole process
// (node_zlib.cc:285 "close before init", from the worker's FreeEnvironment; a parse worker took a vitest process
// down that way in CI).
// PGlite inflates each extension bundle (pgvector's vector.tar.gz) with createGunzip as it starts, on its own
// thread, and Node terminates that thread if the process exits while it starts. fflate is plain JavaScript: there
// is no handle to tear down.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { Transform } from 'node:stream';
import { Gunzip } from 'fflate';

/**
 * A gunzip Transform stream like zlib.createGunzip() (options ignored), inflating with fflate. fflate's streaming
 * gunzip neither checks the trailer nor fails a stream that ends early once its input is consumed, so the output's
 * length is checked against the trailer's (ISIZE): a truncated stream fails as zlib's would.
 */
export function createGunzipInJs() {
  const inflater = new Gunzip();
  let produced = 0;
  /** The last 8 bytes seen: at the end, the trailer (CRC32, ISIZE). */
  let tail = new Uint8Array(0);
  const stream = new Transform({
    transform(chunk, _encoding, done) {
      try {
        const bytes = /** @type {Uint8Array} */ (chunk);
        if (bytes.length >= 8) tail = bytes.slice(-8);
        else {
          const joined = new Uint8Array(tail.length + bytes.length);
          joined.set(tail);
          joined.set(bytes, tail.length);
          tail = joined.slice(-8);
        }
        inflater.push(bytes);
        done();
      } catch (error) {
        done(/** @type {Error} */ (error));
      }
    },
    flush(done) {
      try {
        inflater.push(new Uint8Array(0), true);
        const size = tail.length === 8 ? new DataView(tail.buffer, tail.byteOffset, 8).getUint32(4, true) : -1;
        if (size !== produced % 2 ** 32) throw new Error('gunzip: unexpected end of file (the data does not match its gzip trailer)');
        done();
      } catch (error) {
        done(/** @type {Error} */ (error));
      }
    },
  });
  inflater.ondata = (data) => {
    produced += data.length;
    stream.push(data);
  };
  return stream;
}

/** From now on, in this thread only, node:zlib's createGunzip (for require and import alike) is createGunzipInJs. */
export function useGunzipInJs() {
  const zlib = createRequire(import.meta.url)('node:zlib');
  // Node defines it read-only but configurable.
  Object.defineProperty(zlib, 'createGunzip', { value: createGunzipInJs, writable: false, enumerable: true, configurable: true });
  syncBuiltinESMExports();
}
