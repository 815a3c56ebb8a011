// Tokenizes documents with the extension's TextMate grammar, as VS Code does
// (vscode-textmate with the Oniguruma regular expressions of vscode-oniguruma).
// Reads {"documents": {KEY: TEXT}} on stdin; writes {KEY: [[[TEXT, [SCOPE...]]...] per line]}.
'use strict';

const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'align.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.align'
      ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR)
      : null,
  });
  return registry.loadGrammar('source.align');
}

function tokenize(grammar, text) {
  let state = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
  });
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const grammar = await loadGrammar();
  const output = {};
  for (const [key, text] of Object.entries(input.documents)) {
    output[key] = tokenize(grammar, text);
  }
  process.stdout.write(JSON.stringify(output));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
