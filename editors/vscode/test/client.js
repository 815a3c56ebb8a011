// Loads extension.js outside VS Code, with stand-ins for the `vscode` API and
// the language client, activates it, and writes what it asked for as JSON:
// the server command, the document selector, the watched files, and what it
// does when the server cannot start. Argument: the configured server command.
'use strict';

const Module = require('module');
const path = require('path');

const seen = { messages: [], started: 0, stopped: 0 };
const configured = process.argv[2];
const failStart = process.argv[3] === 'fail';

const vscode = {
  workspace: {
    getConfiguration: (section) => ({
      get: (key, fallback) => (section === 'alignproof' && key === 'server.command' && configured) || fallback,
    }),
    createFileSystemWatcher: (glob) => ({ glob }),
  },
  window: { showErrorMessage: (message) => seen.messages.push(message) },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(seen, { id, name, serverOptions, clientOptions });
  }
  async start() {
    seen.started += 1;
    if (failStart) throw new Error('spawn alignproof ENOENT');
  }
  async stop() { seen.stopped += 1; }
}
const languageClient = { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return languageClient;
  return load.call(this, request, parent, isMain);
};

async function main() {
  const extension = require(path.join(__dirname, '..', 'extension.js'));
  const context = { subscriptions: [] };
  await extension.activate(context);
  seen.subscriptions = context.subscriptions.length;
  await extension.deactivate();
  process.stdout.write(JSON.stringify(seen));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
