/** A real code-server with the packaged extension installed into fresh, throw-away folders. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, run, startProcess } from './processes';
import type { Managed } from './processes';

export interface CodeServerOptions {
  readonly entry: string;
  readonly vsix: string;
  /** Root of this session's temp folders: user data, extensions, logs. */
  readonly home: string;
  readonly workspace: string;
  readonly settings: Record<string, unknown>;
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly process: Managed;
  /** The URL that opens the workspace folder in the workbench. */
  readonly workspaceUrl: string;
  stop(): Promise<void>;
}

/** Settings every e2e session starts from; scenarios add to them. */
export const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  // The scenarios assert exact problem lists; the audit's advice (on by default) is tested on its own
  // (unit, LSP and the differential against krakend audit).
  'krakend.audit.enable': false,
  // Typing goes through the real editor; these keep what arrives exactly what was typed.
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.formatOnSave': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.hover.enabled': false,
  'files.autoSave': 'off',
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  // VS Code's own JSON validation stays on, as users have it: test/e2e/oneVoice.test.ts checks
  // that it says nothing about KrakenD files.
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
};

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  const userDataDir = join(o.home, 'user-data');
  const extensionsDir = join(o.home, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...o.settings }, null, 2));

  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const installed = await run(process.execPath, [o.entry, ...common, '--install-extension', o.vsix], { timeoutMs: 120_000, env: { ...process.env, ...o.env } });
  if (!/successfully installed/i.test(installed)) throw new Error(`installing ${o.vsix} into code-server failed:\n${installed}`);

  const port = await freePort();
  const proc = startProcess(
    'code-server',
    process.execPath,
    [o.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', ...common, o.workspace],
    o.logFile,
    { env: { ...process.env, ...o.env } },
  );
  try {
    await proc.waitForLine(/HTTP server listening on/i, 60_000);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    process: proc,
    workspaceUrl: `${url}/?folder=${encodeURIComponent(o.workspace)}`,
    stop: () => proc.stop(),
  };
}
