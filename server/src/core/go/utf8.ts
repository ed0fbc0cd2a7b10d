/**
 * Go strings are bytes; JavaScript strings are UTF-16. These helpers give the template engine,
 * strconv and the duration parser the byte view Go has of a string.
 *
 * Go strings may hold invalid UTF-8 (a `substr` cutting a character, a `"\xff"`
 * literal). A JavaScript string stands for such bytes the way Python's "surrogateescape" does:
 * a lone low surrogate U+DC80–U+DCFF is the raw byte 0x80–0xFF. Valid UTF-8 never decodes to a
 * lone surrogate, so the mapping is exact both ways.
 */
const RAW_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;
const RAW_BYTES = /((?<![\ud800-\udbff])[\udc80-\udcff])/;

/** Whether `c` (a code unit at `i` of `s`) is a raw byte rather than half of a pair. */
function isRawByte(s: string, i: number, c: number): boolean {
  return c >= 0xdc80 && c <= 0xdcff && !(i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800);
}

/** Whether the string holds bytes that are not UTF-8 (raw bytes, see {@link utf8Encode}). */
export function hasRawBytes(s: string): boolean {
  return RAW_BYTE.test(s);
}

/** Where the first raw byte (invalid UTF-8) is in `s`, or -1. */
export function rawByteIndex(s: string): number {
  const m = RAW_BYTE.exec(s);
  return m ? m.index : -1;
}

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
    } else n += isRawByte(s, i, c) ? 1 : 3;
  }
  return n;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A Go string's bytes: UTF-8, with raw bytes (lone U+DC80–U+DCFF) as themselves. */
export function utf8Encode(s: string): Uint8Array {
  if (!RAW_BYTE.test(s)) return encoder.encode(s);
  const out: number[] = [];
  s.split(RAW_BYTES).forEach((part, i) => {
    if (i % 2 === 1) out.push(part.charCodeAt(0) - 0xdc00);
    else for (const b of encoder.encode(part)) out.push(b);
  });
  return Uint8Array.from(out);
}

/** The bytes of a Go string as KrakenD writes them (FC_OUT): {@link utf8Encode}. */
export const goStringBytes = utf8Encode;

/** The length of the valid UTF-8 sequence at `i`, or 0 (Go's utf8.DecodeRune rules). */
function sequenceLength(b: Uint8Array, i: number): number {
  const x = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (x < 0x80) return 1;
  if (x >= 0xc2 && x <= 0xdf) return cont(1) ? 2 : 0;
  if (x >= 0xe0 && x <= 0xef) {
    const lo = x === 0xe0 ? 0xa0 : 0x80;
    const hi = x === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (x >= 0xf0 && x <= 0xf4) {
    const lo = x === 0xf0 ? 0x90 : 0x80;
    const hi = x === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Bytes to a Go string: invalid bytes stay, one by one, as raw bytes (see {@link utf8Encode}). */
export function utf8Decode(b: Uint8Array): string {
  try {
    return strictDecoder.decode(b);
  } catch {
    let out = '';
    let start = 0;
    let i = 0;
    while (i < b.length) {
      const n = sequenceLength(b, i);
      if (n > 0) {
        i += n;
        continue;
      }
      out += strictDecoder.decode(b.subarray(start, i)) + String.fromCharCode(0xdc00 + b[i]!);
      i++;
      start = i;
    }
    return out + strictDecoder.decode(b.subarray(start, i));
  }
}

/**
 * Go's `[]rune(s)` / `for range s`: code points, with each invalid byte as U+FFFD. Lone
 * surrogates that are not raw bytes cannot come from UTF-8 and are U+FFFD too.
 */
export function goRunes(s: string): string {
  return RAW_BYTE.test(s) || /[\ud800-\udfff]/.test(s) ? s.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (m) => (m.length === 2 ? m : '\ufffd')) : s;
}

/** Whether the string is pure ASCII, so byte offsets equal string offsets. */
export function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[^\x00-\x7f]/.test(s);
}


const lossyDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Decodes UTF-8 for a message to a person: invalid sequences become U+FFFD. */
export function utf8DecodeLossy(b: Uint8Array): string {
  return lossyDecoder.decode(b);
}
