/**
 * Offsets to LSP positions, computed once per text.
 *
 * Every core stage speaks in UTF-16 offsets (JavaScript string indices); this is the only
 * place that knows about lines. LSP's default position encoding is UTF-16, so a character
 * is a string index relative to the line start and needs no conversion. Line ends are the
 * three LSP recognises: `\n`, `\r\n` and a lone `\r`.
 */
import type { Position, Range, Span } from './types';

export interface LineIndexOptions {
  /**
   * Count columns on the first line as VS Code does. VS Code strips a UTF-8 BOM when it opens
   * a file, so its first line starts after the BOM; a text read from disk still has it (and
   * Go rejects it), so a caller that checks the disk text but reports to VS Code sets this.
   * Offsets keep counting the BOM either way.
   */
  readonly bomAsEditor?: boolean;
}

export class LineIndex {
  /**
   * Offset of the first character of every line scanned so far; always starts with 0. Lines are
   * found on demand, only as far as the offsets asked for: a clean file never asks, and the
   * usual few problems sit near the top of a large file (its `$schema`, say).
   */
  private readonly starts: number[] = [0];
  /** Every line start up to here is in `starts`. */
  private scanned = 0;
  /** The next `\n` and `\r` at or after `scanned`: -2 not looked for yet, -1 none left. */
  private nextLf = -2;
  private nextCr = -2;
  private readonly textLength: number;
  private readonly text: string;
  /** 1 when a leading BOM is not counted as a column (see LineIndexOptions). */
  private readonly bomShift: number;

  constructor(text: string, options: LineIndexOptions = {}) {
    this.textLength = text.length;
    this.text = text;
    this.bomShift = options.bomAsEditor && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /**
   * Finds the next line start; false at the end of the text. The native indexOf, one search
   * per kind of line end and remembered, is several times faster than a charCodeAt loop.
   */
  private scanLine(): boolean {
    if (this.scanned >= this.textLength) return false;
    const text = this.text;
    if (this.nextLf !== -1 && this.nextLf < this.scanned) this.nextLf = text.indexOf('\n', this.scanned);
    if (this.nextCr !== -1 && this.nextCr < this.scanned) this.nextCr = text.indexOf('\r', this.scanned);
    const lf = this.nextLf;
    const cr = this.nextCr;
    const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (end < 0) {
      this.scanned = this.textLength;
      return false;
    }
    // A CRLF pair is one line end; the next line starts after the \n.
    const next = end === cr && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    this.starts.push(next);
    this.scanned = next;
    return true;
  }

  /** Scans until every line start at or before `offset` is known. */
  private scanTo(offset: number): void {
    while (this.scanned <= offset && this.scanLine());
  }

  /** The number of lines (a text ending with a line break has an empty last line). */
  get lineCount(): number {
    while (this.scanLine());
    return this.starts.length;
  }

  /**
   * The position of an offset. Offsets outside the text are clamped to it, so a span that
   * ends at the end of input still resolves. The character never passes the end of its line.
   */
  positionAt(offset: number): Position {
    let o = Math.max(0, Math.min(offset, this.textLength));
    // LSP has no position between the \r and the \n of a pair (the line ends before the \r),
    // so the \n's offset, say the end of a span that covers the \r, is the end of the line.
    if (o > 0 && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13) o--;
    this.scanTo(o);
    const starts = this.starts;
    // The last line whose start is <= o.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    if (lo === 0 && this.bomShift) return { line: 0, character: Math.max(0, o - this.bomShift) };
    return { line: lo, character: o - starts[lo]! };
  }

  /** The offset of a position; as in LSP, a character past the line's end means the end of the line. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    // The line's start, and the next line's to find where it ends.
    while (this.starts.length <= position.line + 1 && this.scanLine());
    if (position.line >= this.starts.length) return this.textLength;
    const start = this.starts[position.line]! + (position.line === 0 ? this.bomShift : 0);
    let end = position.line + 1 < this.starts.length ? this.starts[position.line + 1]! : this.textLength;
    // Step back over the line break so a too-large character lands before it.
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  /** The range of a span. */
  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.offset), end: this.positionAt(span.offset + span.length) };
  }
}
