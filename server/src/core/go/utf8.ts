/**
 * Go strings are bytes; JavaScript strings are UTF-16. These helpers give the template engine,
 * strconv and the duration parser the byte view Go has of a string.
 */

/** Number of UTF-8 bytes of a JS string (Go's `len` of a string). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF: to Go it is three bytes of the string like any others.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The UTF-8 bytes of a string, as Go holds it. */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8; invalid sequences become U+FFFD (Go would keep the raw bytes). */
export function utf8Decode(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Whether the string is pure ASCII, so byte offsets equal string offsets. */
export function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[^\x00-\x7f]/.test(s);
}
