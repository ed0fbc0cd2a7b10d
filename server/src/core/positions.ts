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
  /** Offset of the first character of every line; always starts with 0. Built on first use. */
  private lineStarts: number[] | undefined;
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
   * Lazily, because a clean file never asks for a position. Texts without `\r` (most of them)
   * are scanned with the native indexOf, several times faster than a charCodeAt loop.
   */
  private get starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const text = this.text;
    const n = text.length;
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) {
          starts.push(i + 1);
        } else if (c === 13) {
          // A CRLF pair is one line end; the next line starts after the \n.
          if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.lineStarts = starts;
    return starts;
  }

  /** The number of lines (a text ending with a line break has an empty last line). */
  get lineCount(): number {
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
