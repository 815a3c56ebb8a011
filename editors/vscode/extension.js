// The extension's client: starts `alignproof lsp` over stdio for .align files.
// Plain JavaScript, loaded by VS Code as it is (no build step).
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration('alignproof').get('server.command', 'alignproof');
  return { command, args: ['lsp'], transport: TransportKind.stdio };
}

function initializationOptions() {
  // read by the server at start-up (docs/commands.md, alignproof lsp)
  const timeout = vscode.workspace.getConfiguration('alignproof').get('check.timeout', 10);
  return { timeout };
}

async function activate(context) {
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'align' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.align') },
    initializationOptions: initializationOptions(),
  };
  client = new LanguageClient('alignproof', 'alignproof', serverOptions(), clientOptions);
  context.subscriptions.push(client);
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `alignproof: could not start \`${serverOptions().command} lsp\` (${error.message || error}). ` +
      "Install alignproof with its language server (pip install 'alignproof[lsp]') so that it is on PATH, " +
      'or set alignproof.server.command to its full path.');
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
