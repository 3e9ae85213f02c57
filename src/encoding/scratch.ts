/** Largest buffer a scratch keeps: a bigger one is allocated for its call only, so it is not kept alive. */
const SCRATCH_LIMIT = 1 << 16;

/**
 * Returns a buffer of at least `length` bytes, the same one from call to call while it is large enough.
 * Only for work that writes and reads the buffer synchronously: the next call may hand it out again.
 */
export type Scratch = (length: number) => Uint8Array;

/**
 * A reusable byte buffer, `initial` bytes to start with. A fresh typed array of more than a few dozen
 * bytes is allocated and zeroed off the V8 heap, which for a kilobyte costs about as much as encoding
 * or hashing it: the encoder, the signer and the synchronous hash each keep one of these instead.
 */
export function createScratch(initial: number): Scratch {
  let buffer = new Uint8Array(initial);
  return (length) => {
    if (length <= buffer.length) return buffer;
    const fresh = new Uint8Array(length);
    if (length <= SCRATCH_LIMIT) buffer = fresh;
    return fresh;
  };
}
