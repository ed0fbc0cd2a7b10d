/**
 * Drives the VS Code workbench the way a user does: keyboard, palette, Problems panel, status bar.
 * Every wait is on page state with a bounded timeout.
 */
import type { Locator, Page } from 'playwright-core';

/**
 * The little of the DOM that page functions use: the project compiles without lib.dom (it would
 * change Node's timer types everywhere), and these functions run in the browser, not here.
 */
export interface PageElement {
  readonly textContent: string | null;
  readonly className: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}
export interface PageGlobals {
  readonly document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement>;
  };
}

export const STATUS_ITEM = '.statusbar-item[id$="krakend.status"]';

/** One row of the Problems panel, as the user reads it. */
export interface ProblemRow {
  readonly severity: 'error' | 'warning' | 'info' | 'unknown';
  readonly message: string;
  readonly source: string;
  readonly code: string;
  /** 1-based, as shown: [Ln 12, Col 5]. */
  readonly line: number;
  readonly column: number;
  /** The file row the marker is listed under (its base name, as the panel shows it). */
  readonly file: string;
}

export class Workbench {
  constructor(readonly page: Page) {}

  async waitReady(timeoutMs = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    // The explorer appears once the folder is open; the editor area needs it to take keyboard input.
    await this.page.locator('.part.sidebar').first().waitFor({ state: 'attached', timeout: timeoutMs });
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor has focus. */
  async openFile(name: string, timeoutMs = 30_000): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInput().waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.type(name);
    // Enter opens the focused row: wait until the filter has caught up with what was typed and put
    // this file first (under load, a row of the previous list can still be focused).
    await this.quickInput().locator('.monaco-list-row.focused', { hasText: name }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: timeoutMs });
    await this.page.locator(`.tab.active[aria-label*="${name}"]`).waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** Runs a command by its palette title (F1), e.g. "KrakenD: Check Configuration". */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInput().waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.type(title);
    const row = this.quickInput().locator('.monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
    await this.quickInput().waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** The palette titles matching `query` (the palette is closed again afterwards). */
  async paletteEntries(query: string, timeoutMs = 30_000): Promise<string[]> {
    await this.page.keyboard.press('F1');
    await this.quickInput().waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.type(query);
    // The list is filtered as you type: wait until every visible row matches, or the palette says nothing does.
    const words = query.replace(/:/g, '').toLowerCase().split(/\s+/).filter(Boolean);
    await this.page.waitForFunction(
      (ws) => {
        const rows = [...(globalThis as unknown as PageGlobals).document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')];
        if (rows.length === 0) return false;
        return rows.every((r) => {
          const t = (r.textContent ?? '').toLowerCase();
          return t.includes('no matching') || ws.every((w) => t.includes(w));
        });
      },
      words,
      { timeout: timeoutMs },
    );
    const labels = await this.quickInput().locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
    await this.page.keyboard.press('Escape');
    await this.quickInput().waitFor({ state: 'hidden', timeout: timeoutMs });
    return labels.map((l) => l.trim());
  }

  /** Puts the cursor at the end of a 1-based line (Go to Line, then End). */
  async gotoLineEnd(line: number, timeoutMs = 15_000): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.quickInput().waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.type(String(line));
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: timeoutMs });
    await this.page.keyboard.press('End');
    await this.page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: `Ln ${line},` }).waitFor({ timeout: timeoutMs });
  }

  /** Types text into the focused editor as one input (the way a paste or IME delivers it). */
  async typeText(text: string): Promise<void> {
    await this.page.keyboard.insertText(text);
  }

  /** Ctrl+S, then waits until the active tab is no longer dirty. */
  async save(timeoutMs = 15_000): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: timeoutMs });
  }

  async showProblems(timeoutMs = 15_000): Promise<void> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** The marker rows currently in the Problems panel (file rows are left out). */
  async problems(): Promise<ProblemRow[]> {
    // No named helper functions inside: tsx (esbuild keepNames) would wrap them in a `__name`
    // call that does not exist in the page.
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) => {
      // Rows come in tree order: a file row, then its markers.
      let file = '';
      const out: ProblemRow[] = [];
      for (const r of elements as unknown as PageElement[]) {
        if (r.querySelector('.marker-message') === null) {
          file = (r.querySelector('.label-name')?.textContent ?? '').trim();
          continue;
        }
        const [message, source, code, lnCol] = ['.marker-message', '.marker-source', '.marker-code', '.marker-line'].map(
          (sel) => (r.querySelector(sel)?.textContent ?? '').trim(),
        );
        const icon = r.querySelector('.marker-icon')?.className ?? '';
        const severity = /error/.test(icon) ? 'error' : /warning/.test(icon) ? 'warning' : /info/.test(icon) ? 'info' : 'unknown';
        const at = /Ln (\d+), Col (\d+)/.exec(lnCol ?? '');
        out.push({ severity, message: message ?? '', source: source ?? '', code: code ?? '', line: at ? Number(at[1]) : 0, column: at ? Number(at[2]) : 0, file });
      }
      return out;
    });
  }

  /** Waits until the Problems panel rows satisfy `accept`, returning them; the last rows are in the error. */
  async waitForProblems(what: string, accept: (rows: ProblemRow[]) => boolean, timeoutMs = 30_000): Promise<ProblemRow[]> {
    await this.showProblems();
    const deadline = Date.now() + timeoutMs;
    let rows: ProblemRow[] = [];
    for (;;) {
      rows = await this.problems();
      if (accept(rows)) return rows;
      if (Date.now() > deadline) throw new Error(`Problems panel never showed ${what}; it showed ${JSON.stringify(rows)}`);
      // Re-read when the panel's rows change rather than on a timer.
      await this.page
        .waitForFunction(
          (before) => {
            const el = (globalThis as unknown as PageGlobals).document.querySelector('.markers-panel .monaco-list-rows');
            return (el?.textContent ?? '') !== before;
          },
          await this.page.locator('.markers-panel .monaco-list-rows').textContent().catch(() => ''),
          { timeout: Math.max(1, Math.min(2_000, deadline - Date.now())) },
        )
        .catch(() => undefined);
    }
  }

  statusItem(): Locator {
    return this.page.locator(STATUS_ITEM);
  }

  /**
   * Waits for our status bar item's text (label and accessible name) to match `re`; returns it.
   * When it matches `failOn` first (a terminal fault), fails at once with what it says.
   */
  async waitForStatus(re: RegExp, timeoutMs = 30_000, failOn?: RegExp): Promise<string> {
    const item = this.statusItem();
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    const patterns = [re, ...(failOn ? [failOn] : [])].map((r) => ({ source: r.source, flags: r.flags }));
    try {
      await this.page.waitForFunction(
        ({ sel, pats }) => {
          const el = (globalThis as unknown as PageGlobals).document.querySelector(sel);
          if (!el) return false;
          const text = `${el.textContent ?? ''} ${el.getAttribute('aria-label') ?? ''}`;
          return pats.some((p) => new RegExp(p.source, p.flags).test(text));
        },
        { sel: STATUS_ITEM, pats: patterns },
        { timeout: timeoutMs },
      );
    } catch {
      throw new Error(`status bar item never matched ${String(re)}; it says ${JSON.stringify(await this.statusText())}`);
    }
    const text = await this.statusText();
    if (!re.test(text)) throw new Error(`status bar item shows a fault instead of ${String(re)}: ${JSON.stringify(text)}`);
    return text;
  }

  async statusText(): Promise<string> {
    const item = this.statusItem();
    if ((await item.count()) === 0) return '(no krakend.status item)';
    const label = (await item.first().textContent()) ?? '';
    const aria = (await item.first().getAttribute('aria-label')) ?? '';
    return `${label.trim()} | ${aria}`;
  }

  /** Waits for a notification toast whose text matches `re`; returns its text. */
  async waitForNotification(re: RegExp, timeoutMs = 30_000): Promise<string> {
    const message = this.page.locator('.notification-toast .notification-list-item-message', { hasText: re }).first();
    await message.waitFor({ state: 'visible', timeout: timeoutMs });
    // The toast slides in; wait for the end of that transition so a screenshot shows it whole.
    await this.page
      .locator('.notification-toast.notification-fade-in-done', { hasText: re })
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
    return (await message.textContent()) ?? '';
  }

  /** Closes all notification toasts so the next screenshot and the next wait start clean. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** The text of the Output panel's current channel (only what is rendered). */
  async outputText(): Promise<string> {
    return (await this.page.locator('.output-view .view-lines').first().textContent().catch(() => null)) ?? '';
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
}
