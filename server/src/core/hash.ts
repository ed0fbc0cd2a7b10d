/**
 * A 64-bit text hash (two 32-bit FNV-1a lanes with different offset bases), as 16 hex digits:
 * for cache file names, and to tell whether a precompiled validator was made from a given
 * schema text. Not cryptographic, and nothing here needs it to be (the cache is the user's
 * own; a collision costs a recompile at worst). It stands in for node:crypto's SHA-256 so a
 * cold CLI does not load OpenSSL just to name a file.
 */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
