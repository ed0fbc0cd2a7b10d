/**
 * One e2e session: the packaged .vsix installed into a fresh code-server, a copy of examples/ as the
 * workspace, and Chromium on the workbench. `stop()` undoes everything, also after a failure.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startCodeServer } from './codeServer';
import { onAbnormalExit } from './processes';
import type { CodeServer } from './codeServer';
import { editorComponents } from './components';
import { artifactsDir, ensureArtifactsDir, examplesDir } from './paths';
import { ensureVsix } from './vsix';
import { Workbench } from './workbench';

export interface SessionOptions {
  /** Names the logs and temp folders. */
  readonly name: string;
  /** User settings on top of the harness defaults (workspace trust off, telemetry off…). */
  readonly settings?: Record<string, unknown>;
  /** Called with the workspace copy before code-server opens it (rewrite ports, add files…). */
  readonly prepareWorkspace?: (dir: string) => void;
  /**
   * `flexible`: the workspace is examples/flexible (the Flexible Configuration variant) with the
   * example backend beside it, so its template is the folder's one gateway config.
   */
  readonly example?: 'default' | 'flexible';
  readonly env?: NodeJS.ProcessEnv;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export class Session {
  private readonly cleanups: { what: string; run: () => Promise<void> | void }[] = [];
  codeServer!: CodeServer;
  browser!: Browser;
  page!: Page;
  wb!: Workbench;
  readonly home: string;
  readonly workspace: string;

  private constructor(readonly name: string) {
    this.home = mkdtempSync(join(tmpdir(), `krakend-e2e-${name}-`));
    this.workspace = join(this.home, 'workspace');
  }

  /** Registers teardown work; it runs in reverse order in `stop()`. */
  onStop(what: string, run: () => Promise<void> | void): void {
    this.cleanups.push({ what, run });
  }

  static async start(o: SessionOptions): Promise<Session> {
    const components = editorComponents();
    const vsix = await ensureVsix();
    ensureArtifactsDir();
    const s = new Session(o.name);
    const unregister = onAbnormalExit(() => rmSync(s.home, { recursive: true, force: true }));
    s.onStop('remove temp folders', () => {
      rmSync(s.home, { recursive: true, force: true });
      unregister();
    });
    try {
      if (o.example === 'flexible') {
        cpSync(join(examplesDir, 'flexible'), s.workspace, { recursive: true });
        cpSync(join(examplesDir, 'backend.mjs'), join(s.workspace, 'backend.mjs'));
      } else {
        cpSync(examplesDir, s.workspace, { recursive: true });
      }
      o.prepareWorkspace?.(s.workspace);
      s.codeServer = await startCodeServer({
        entry: components.codeServerEntry,
        vsix,
        home: s.home,
        workspace: s.workspace,
        settings: o.settings ?? {},
        logFile: join(artifactsDir, `${o.name}.code-server.log`),
        ...(o.env ? { env: o.env } : {}),
      });
      // Keep the extension host's logs (our LogOutputChannel included) next to the screenshots.
      s.onStop('keep logs', () => {
        const logs = join(s.codeServer.userDataDir, 'logs');
        if (existsSync(logs)) cpSync(logs, join(artifactsDir, `${o.name}.logs`), { recursive: true });
      });
      s.onStop('stop code-server', () => s.codeServer.stop());
      s.browser = await chromium.launch({ executablePath: components.chromium, args: CHROMIUM_ARGS, timeout: 60_000 });
      s.onStop('close browser', () => s.browser.close());
      s.page = await s.browser.newPage({ viewport: { width: 1280, height: 800 } });
      s.page.on('pageerror', (e) => appendFileSync(join(artifactsDir, `${o.name}.page-errors.log`), `${e.stack ?? e.message}\n`));
      s.wb = new Workbench(s.page);
      await s.page.goto(s.codeServer.workspaceUrl, { timeout: 60_000 });
      return s;
    } catch (e) {
      await s.stop();
      throw e;
    }
  }

  /** Tears down everything registered, newest first; reports every failure at the end. */
  async stop(): Promise<void> {
    const errors: string[] = [];
    for (const c of this.cleanups.splice(0).reverse()) {
      try {
        await c.run();
      } catch (e) {
        errors.push(`${c.what}: ${String(e)}`);
      }
    }
    if (errors.length > 0) throw new Error(`e2e teardown failed:\n${errors.join('\n')}`);
  }
}
