/**
 * Switches open KrakenD JSON files to our languages (see templateLanguageChoice.ts for when):
 * configurations to KrakenD Configuration or, with actions, KrakenD Template; partials to KrakenD
 * Template. The language server still checks them: the client's document selector matches
 * `krakend.configFiles` whatever the language.
 */
import * as vscode from 'vscode';
import { documentSelector, partialsSelector } from './languageClient';
import { formatJson } from './jsonFormat';
import { CONFIG_LANGUAGE, TemplateLanguageChooser } from './templateLanguageChoice';

/** Watches documents as they open and save; returns what stops watching. */
export function registerTemplateLanguage(log: vscode.LogOutputChannel): vscode.Disposable {
  const chooser = new TemplateLanguageChooser();
  const consider = (doc: vscode.TextDocument): void => {
    const facts = {
      uri: doc.uri.toString(),
      languageId: doc.languageId,
      isConfigFile: vscode.languages.match(documentSelector(), doc) > 0,
      isPartial: vscode.languages.match(partialsSelector(), doc) > 0,
      text: () => doc.getText(),
    };
    const language = chooser.switchTo(facts);
    if (language === undefined) return;
    log.info(`${vscode.workspace.asRelativePath(doc.uri)}: showing it as ${language}`);
    vscode.languages.setTextDocumentLanguage(doc, language).then(undefined, (e: unknown) => log.warn(`could not switch ${doc.uri.toString()} to ${language}: ${String(e)}`));
  };
  const subscriptions = [
    // VS Code's JSON formatter serves only the `json` language; ours keeps Format Document working.
    vscode.languages.registerDocumentFormattingEditProvider(CONFIG_LANGUAGE, {
      provideDocumentFormattingEdits(doc, options) {
        const text = doc.getText();
        const formatted = formatJson(text, options);
        if (formatted === undefined || formatted === text) return [];
        return [vscode.TextEdit.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), formatted)];
      },
    }),
    vscode.workspace.onDidOpenTextDocument(consider),
    vscode.workspace.onDidSaveTextDocument(consider),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      // A language change closes and reopens the document in one go, and the document stays in
      // textDocuments; only a real close removes it before this event.
      const uri = doc.uri.toString();
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri)) chooser.closed(uri);
    }),
  ];
  for (const doc of vscode.workspace.textDocuments) consider(doc);
  return vscode.Disposable.from(...subscriptions);
}
