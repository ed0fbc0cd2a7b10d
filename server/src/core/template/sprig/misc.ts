/**
 * sprig v3.2.3's path, URL, encoding, hashing, random, crypto and OS functions. `env` and
 * `expandenv` read the injected environment. Functions that need the network or certificate
 * machinery (getHostByName, genCA…) and bcrypt are declared unsupported: calling them is an
 * execution error that says so, never a silently different output.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import type { CallContext, FuncDef } from '../funcs';
import { fn, unsupported } from '../funcs';
import { quote } from '../../go/strconv';
import type { GoInt } from '../value';
import { GoError, GoPanic, isMap, mapGet, mapSet } from '../value';
import { utf8Decode, utf8Encode, utf8Length } from '../../go/utf8';
import { kindName } from './util';

// --- path (and path/filepath, identical on Linux where KrakenD runs)

/** path.Clean. */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const out = (rooted ? '/' : '') + parts.join('/');
  return out === '' ? '.' : out;
}

function pathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  if (i >= 0) p = p.slice(i + 1);
  return p === '' ? '/' : p;
}

function pathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return pathClean(p.slice(0, i + 1));
}

function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** path.Join (used by KrakenD's include). */
export function pathJoin(...elems: string[]): string {
  const nonEmpty = elems.filter((e) => e !== '');
  return nonEmpty.length === 0 ? '' : pathClean(nonEmpty.join('/'));
}

// --- encodings

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** encoding/base64 StdEncoding.DecodeString, with Go's CorruptInputError offsets. */
function base64Decode(s: string): string {
  return utf8Decode(base64DecodeBytes(s));
}

function base64DecodeBytes(s: string): Uint8Array {
  const src = utf8Encode(s);
  const out: number[] = [];
  let si = 0;
  const corrupt = (at: number): never => {
    throw new GoError(`illegal base64 data at input byte ${at}`);
  };
  while (si < src.length) {
    const q: number[] = [];
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) break;
        corrupt(si - j);
      }
      const ch = src[si++]!;
      const v = ch < 128 ? B64.indexOf(String.fromCharCode(ch)) : -1;
      if (v >= 0) {
        q.push(v);
        continue;
      }
      if (ch === 10 || ch === 13) {
        j--;
        continue;
      }
      if (ch !== 61) corrupt(si - 1);
      // padding
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
        if (si === src.length) corrupt(src.length);
        if (src[si] !== 61) corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
      if (si < src.length) corrupt(si);
      break;
    }
    if (q.length === 0) break;
    const val = (q[0]! << 18) | ((q[1] ?? 0) << 12) | ((q[2] ?? 0) << 6) | (q[3] ?? 0);
    out.push((val >> 16) & 255);
    if (q.length > 2) out.push((val >> 8) & 255);
    if (q.length > 3) out.push(val & 255);
    if (q.length < 4) break;
  }
  return Uint8Array.from(out);
}

function base32Encode(s: string): string {
  const bytes = utf8Encode(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
  }
  return out;
}

/** base32.StdEncoding.DecodeString: errors at the byte Go names, quantum by quantum. */
function base32Decode(s: string): string {
  const src = utf8Encode(s).filter((b) => b !== 10 && b !== 13);
  const olen = src.length;
  const corrupt = (at: number): never => {
    throw new GoError(`illegal base32 data at input byte ${at}`);
  };
  const out: number[] = [];
  let p = 0;
  let end = false;
  while (p < olen && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (p === olen) corrupt(olen - j);
      const c = src[p++]!;
      const left = olen - p;
      if (c === 0x3d && j >= 2 && left < 8) {
        if (left + j < 7) corrupt(olen);
        for (let k = 0; k < 7 - j; k++) if (left > k && src[p + k] !== 0x3d) corrupt(p + k - 1);
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) corrupt(p - 1);
        break;
      }
      const v = c < 0x80 ? B32.indexOf(String.fromCharCode(c)) : -1;
      if (v < 0) corrupt(p - 1);
      dbuf[j++] = v;
    }
    let bits = 0n;
    for (const v of dbuf) bits = (bits << 5n) | BigInt(v);
    const nbytes = Math.floor((dlen * 5) / 8);
    for (let k = 0; k < nbytes; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 255n));
  }
  return utf8Decode(Uint8Array.from(out));
}

function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of utf8Encode(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

// --- random

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

function randomFrom(chars: string, count: bigint): string {
  if (count < 0n) return '';
  let out = '';
  for (let i = 0n; i < count; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

function randomAscii(count: bigint): string {
  let out = '';
  for (let i = 0n; i < count; i++) out += String.fromCharCode(32 + Math.floor(Math.random() * 95));
  return out;
}

// --- crypto

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const TEMPLATE_CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** sprig's derivePassword: the Master Password algorithm (scrypt + HMAC-SHA256). */
function derivePassword(counter: bigint, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const seed = Buffer.from('com.lyndir.masterpassword');
  const userBytes = Buffer.from(utf8Encode(user));
  const salt = Buffer.concat([seed, u32(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(utf8Encode(password)), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 1024 * 1024 });
  const siteBytes = Buffer.from(utf8Encode(site));
  const msg = Buffer.concat([seed, u32(siteBytes.length), siteBytes, u32(Number(counter))]);
  const mac = createHmac('sha256', key).update(msg).digest();
  const temp = templates[mac[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = TEMPLATE_CHARS[temp[i]!]!;
    out += chars[mac[i + 1]! % chars.length];
  }
  return out;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(utf8Encode(password)).copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = Buffer.from(utf8Encode(plaintext));
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', aesKey(password), iv);
  c.setAutoPadding(false);
  return Buffer.concat([iv, c.update(padded), c.final()]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const data = Buffer.from(base64DecodeBytes(crypt64));
  if (data.length < 16) {
    // DecodeString's buffer is DecodedLen(len) bytes: [:16] may fit in it, and [16:] fails then.
    const capacity = Math.floor(utf8Length(crypt64) / 4) * 3;
    if (capacity < 16) throw new GoPanic(`runtime error: slice bounds out of range [:16] with capacity ${capacity}`);
    throw new GoPanic(`runtime error: slice bounds out of range [16:${data.length}]`);
  }
  const body = data.subarray(16);
  if (body.length % 16 !== 0) throw new GoPanic('crypto/cipher: input not full blocks');
  const d = createDecipheriv('aes-256-cbc', aesKey(password), data.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(body), d.final()]);
  if (plain.length === 0) throw new GoPanic('runtime error: index out of range [-1]');
  const pad = plain[plain.length - 1]!;
  if (pad > plain.length) throw new GoPanic(`runtime error: slice bounds out of range [:${plain.length - pad}]`);
  return plain.subarray(0, plain.length - pad).toString();
}

// --- os

/** os.Expand with os.Getenv semantics over the injected environment. */
export function expandEnv(s: string, env: (name: string) => string | undefined): string {
  const isSpecial = (c: string): boolean => '*#$@!?-0123456789'.includes(c);
  let out = '';
  let i = 0;
  let changed = false;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      changed = true;
      out += s.slice(i, j);
      const rest = s.slice(j + 1);
      let name = '';
      let w = 0;
      if (rest[0] === '{') {
        if (rest.length > 2 && isSpecial(rest[1]!) && rest[2] === '}') {
          name = rest[1]!;
          w = 3;
        } else {
          const close = rest.indexOf('}');
          if (close < 0) w = 1;
          else if (close === 1) w = 2;
          else {
            name = rest.slice(1, close);
            w = close + 1;
          }
        }
      } else if (isSpecial(rest[0]!)) {
        name = rest[0]!;
        w = 1;
      } else {
        const m = /^[A-Za-z0-9_]*/.exec(rest)![0];
        name = m;
        w = m.length;
      }
      if (name === '' && w > 0) {
        // invalid syntax: eat the characters
      } else if (name === '') out += '$';
      else out += env(name) ?? '';
      j += w;
      i = j + 1;
    }
  }
  return changed ? out + s.slice(i) : s;
}

// --- url

interface GoUrl {
  scheme: string;
  opaque: string;
  user: { username: string; password?: string } | undefined;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
  forceQuery: boolean;
  omitHost: boolean;
}

class UrlError extends Error {}

function unescape(s: string, mode: 'path' | 'host' | 'fragment' | 'userinfo'): string {
  const bytes: number[] = [];
  const src = utf8Encode(s);
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x25) {
      const h = String.fromCharCode(src[i + 1] ?? 0, src[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) {
        const bad = utf8Decode(src.subarray(i, i + 3));
        throw new UrlError(`invalid URL escape ${quote(bad)}`);
      }
      const v = parseInt(h, 16);
      if (mode === 'host' && v < 0x80 && h !== '25') throw new UrlError(`invalid URL escape ${quote(`%${h}`)}`);
      bytes.push(v);
      i += 2;
    } else {
      if (mode === 'host' && c < 0x80 && !/[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]/.test(String.fromCharCode(c))) throw new UrlError(`invalid character ${quote(String.fromCharCode(c))} in host name`);
      bytes.push(c);
    }
  }
  return utf8Decode(Uint8Array.from(bytes));
}

/** url.Parse, enough for sprig's urlParse: scheme, authority, path, query, fragment. */
function parseUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#');
  const u = hash >= 0 ? raw.slice(0, hash) : raw;
  const frag = hash >= 0 ? raw.slice(hash + 1) : '';
  const url: GoUrl = { scheme: '', opaque: '', user: undefined, host: '', path: '', rawQuery: '', fragment: '', forceQuery: false, omitHost: false };
  const fail = (msg: string): never => {
    throw new UrlError(`parse ${quote(u)}: ${msg}`);
  };
  try {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(u)) fail('net/url: invalid control character in URL');
    if (u === '*') {
      url.path = '*';
    } else {
      let rest = u;
      for (let i = 0; i < u.length; i++) {
        const c = u[i]!;
        if (/[a-zA-Z]/.test(c)) continue;
        if (/[0-9+\-.]/.test(c)) {
          if (i === 0) break;
          continue;
        }
        if (c === ':') {
          if (i === 0) fail('missing protocol scheme');
          url.scheme = u.slice(0, i).toLowerCase();
          rest = u.slice(i + 1);
        }
        break;
      }
      if (rest.endsWith('?') && rest.split('?').length === 2) {
        url.forceQuery = true;
        rest = rest.slice(0, -1);
      } else {
        const q = rest.indexOf('?');
        if (q >= 0) {
          url.rawQuery = rest.slice(q + 1);
          rest = rest.slice(0, q);
        }
      }
      let done = false;
      if (!rest.startsWith('/')) {
        if (url.scheme !== '') {
          url.opaque = rest;
          done = true;
        } else if (rest.split('/')[0]!.includes(':')) fail('first path segment in URL cannot contain colon');
      }
      if (!done) {
        if (rest.startsWith('//')) {
          let authority = rest.slice(2);
          rest = '';
          const slash = authority.indexOf('/');
          if (slash >= 0) {
            rest = authority.slice(slash);
            authority = authority.slice(0, slash);
          }
          const at = authority.lastIndexOf('@');
          const hostPart = at >= 0 ? authority.slice(at + 1) : authority;
          const portMatch = /:([^\]:]*)$/.exec(hostPart);
          if (portMatch && !hostPart.startsWith('[') && !/^[0-9]*$/.test(portMatch[1]!)) fail(`invalid port ${quote(`:${portMatch[1]}`)} after host`);
          url.host = unescape(hostPart, 'host');
          // Go checks the host first, then that the userinfo has only its allowed characters.
          if (at >= 0) {
            const userinfo = authority.slice(0, at);
            if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) fail('net/url: invalid userinfo');
            const colon = userinfo.indexOf(':');
            url.user = colon < 0 ? { username: unescape(userinfo, 'userinfo') } : { username: unescape(userinfo.slice(0, colon), 'userinfo'), password: unescape(userinfo.slice(colon + 1), 'userinfo') };
          }
        } else if (url.scheme !== '' && rest.startsWith('/')) url.omitHost = true;
        url.path = unescape(rest, 'path');
      }
    }
    url.fragment = unescape(frag, 'fragment');
  } catch (e) {
    if (e instanceof UrlError && !e.message.startsWith('parse ')) throw new UrlError(`parse ${quote(u)}: ${e.message}`);
    throw e;
  }
  return url;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close >= 0 ? host.slice(1, close) : host.slice(1);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** url.shouldEscape for the modes String() uses. */
function escape(s: string, mode: 'path' | 'host' | 'userinfo' | 'fragment'): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    const c = String.fromCharCode(b);
    let keep = b < 0x80 && UNRESERVED.test(c);
    if (!keep && b < 0x80) {
      switch (mode) {
        case 'host':
          keep = "!$&'()*+,;=:[]<>\"".includes(c);
          break;
        case 'path':
          keep = "$&+,/:;=@!'()*".includes(c);
          break;
        case 'userinfo':
          keep = "$&+,;=!'()*".includes(c);
          break;
        case 'fragment':
          keep = "$&+,/:;=?@!()*'".includes(c);
          break;
      }
    }
    if (mode === 'host' && b >= 0x80) keep = true;
    out += keep ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return mode === 'host' ? utf8Decode(Uint8Array.from([...out].map((ch) => ch.charCodeAt(0)))) : out;
}

function userString(u: NonNullable<GoUrl['user']>): string {
  let s = escape(u.username, 'userinfo');
  if (u.password !== undefined) s += `:${escape(u.password, 'userinfo')}`;
  return s;
}

function urlString(u: GoUrl): string {
  let buf = '';
  if (u.scheme !== '') buf += `${u.scheme}:`;
  if (u.opaque !== '') buf += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user) {
      if (!(u.omitHost && u.host === '' && !u.user)) {
        if (u.host !== '' || u.path !== '' || u.user) buf += '//';
        if (u.user) buf += `${userString(u.user)}@`;
        if (u.host !== '') buf += escape(u.host, 'host');
      }
    }
    const path = escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf === '' && path.split('/')[0]!.includes(':')) buf += './';
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += `?${u.rawQuery}`;
  if (u.fragment !== '') buf += `#${escape(u.fragment, 'fragment')}`;
  return buf;
}

function urlParse(v: string): Record<string, unknown> {
  let u: GoUrl;
  try {
    u = parseUrl(v);
  } catch (e) {
    if (e instanceof UrlError) throw new GoPanic(`unable to parse url: ${e.message}`);
    throw e;
  }
  const d: Record<string, unknown> = {};
  mapSet(d, 'scheme', u.scheme);
  mapSet(d, 'host', u.host);
  mapSet(d, 'hostname', hostname(u.host));
  mapSet(d, 'path', u.path);
  mapSet(d, 'query', u.rawQuery);
  mapSet(d, 'opaque', u.opaque);
  mapSet(d, 'fragment', u.fragment);
  mapSet(d, 'userinfo', u.user ? userString(u.user) : '');
  return d;
}

function dictGetOrEmpty(d: Record<string, unknown>, key: string): string {
  const v = mapGet(d, key);
  if (v === undefined) return '';
  if (v === null) throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
  if (typeof v !== 'string') throw new GoPanic(`unable to parse ${key} key, must be of type string, but ${kindName(v)} found`);
  return v;
}

function urlJoin(d: Record<string, unknown>): string {
  const u: GoUrl = {
    scheme: dictGetOrEmpty(d, 'scheme'),
    host: dictGetOrEmpty(d, 'host'),
    path: dictGetOrEmpty(d, 'path'),
    rawQuery: dictGetOrEmpty(d, 'query'),
    opaque: dictGetOrEmpty(d, 'opaque'),
    fragment: dictGetOrEmpty(d, 'fragment'),
    user: undefined,
    forceQuery: false,
    omitHost: false,
  };
  const userinfo = dictGetOrEmpty(d, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseUrl(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof UrlError) throw new GoPanic(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
  }
  return urlString(u);
}

const s = (v: unknown): string => v as string;
const n = (v: unknown): bigint => (v as GoInt).v;

export const MISC_FUNCS: Record<string, FuncDef> = {
  base: fn('string', 'string', (a) => pathBase(s(a[0]))),
  dir: fn('string', 'string', (a) => pathDir(s(a[0]))),
  clean: fn('string', 'string', (a) => pathClean(s(a[0]))),
  ext: fn('string', 'string', (a) => pathExt(s(a[0]))),
  isAbs: fn('string', 'bool', (a) => s(a[0]).startsWith('/')),
  osBase: fn('string', 'string', (a) => pathBase(s(a[0]))),
  osClean: fn('string', 'string', (a) => pathClean(s(a[0]))),
  osDir: fn('string', 'string', (a) => pathDir(s(a[0]))),
  osExt: fn('string', 'string', (a) => pathExt(s(a[0]))),
  osIsAbs: fn('string', 'bool', (a) => s(a[0]).startsWith('/')),

  b64enc: fn('string', 'string', (a) => Buffer.from(utf8Encode(s(a[0]))).toString('base64')),
  b64dec: fn('string', 'string', (a) => {
    try {
      return base64Decode(s(a[0]));
    } catch (e) {
      if (e instanceof GoError) return e.message;
      throw e;
    }
  }),
  b32enc: fn('string', 'string', (a) => base32Encode(s(a[0]))),
  b32dec: fn('string', 'string', (a) => {
    try {
      return base32Decode(s(a[0]));
    } catch (e) {
      if (e instanceof GoError) return e.message;
      throw e;
    }
  }),

  sha1sum: fn('string', 'string', (a) => createHash('sha1').update(utf8Encode(s(a[0]))).digest('hex')),
  sha256sum: fn('string', 'string', (a) => createHash('sha256').update(utf8Encode(s(a[0]))).digest('hex')),
  adler32sum: fn('string', 'string', (a) => adler32(s(a[0]))),

  randAlphaNum: fn('int', 'string', (a) => randomFrom(LETTERS + DIGITS, n(a[0]))),
  randAlpha: fn('int', 'string', (a) => randomFrom(LETTERS, n(a[0]))),
  randAscii: fn('int', 'string', (a) => randomAscii(n(a[0]))),
  randNumeric: fn('int', 'string', (a) => randomFrom(DIGITS, n(a[0]))),
  randBytes: fn('int', 'string', (a) => {
    if (n(a[0]) < 0n) throw new GoPanic('runtime error: makeslice: len out of range');
    return randomBytes(Number(n(a[0]))).toString('base64');
  }),
  uuidv4: fn('', 'string', () => randomUUID()),

  derivePassword: fn('uint32, string, string, string, string', 'string', (a) => derivePassword(n(a[0]), s(a[1]), s(a[2]), s(a[3]), s(a[4]))),
  encryptAES: fn('string, string', 'string', (a) => encryptAES(s(a[0]), s(a[1]))),
  decryptAES: fn('string, string', 'string', (a) => decryptAES(s(a[0]), s(a[1]))),
  bcrypt: unsupported('string', 'string'),
  htpasswd: unsupported('string, string', 'string'),
  genPrivateKey: unsupported('string', 'string'),
  buildCustomCert: unsupported('string, string', 'interface {}'),
  genCA: unsupported('string, int', 'interface {}'),
  genCAWithKey: unsupported('string, int, string', 'interface {}'),
  genSelfSignedCert: unsupported('string, []interface {}, []interface {}, int', 'interface {}'),
  genSelfSignedCertWithKey: unsupported('string, []interface {}, []interface {}, int, string', 'interface {}'),
  genSignedCert: unsupported('string, []interface {}, []interface {}, int, interface {}', 'interface {}'),
  genSignedCertWithKey: unsupported('string, []interface {}, []interface {}, int, interface {}, string', 'interface {}'),
  getHostByName: unsupported('string', 'string'),

  env: fn('string', 'string', (a, ctx: CallContext) => ctx.env(s(a[0])) ?? ''),
  expandenv: fn('string', 'string', (a, ctx: CallContext) => expandEnv(s(a[0]), (name) => ctx.env(name))),

  urlParse: fn('string', 'map[string]interface {}', (a) => urlParse(s(a[0]))),
  urlJoin: fn('map[string]interface {}', 'string', (a) => {
    const d = a[0];
    if (!isMap(d)) throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
    return urlJoin(d);
  }),
};
