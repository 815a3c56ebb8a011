"""The language server (`alignproof lsp`): the front end and the checker for an editor.

Stage: beside the command line, at the end of the pipeline. It hands the
editor, over the Language Server Protocol, what `check` hands a terminal:
the front end's diagnostics while the user types (from the unsaved text of
every open document), verdicts when a file is saved, and what the syntax
tree knows about names (hover, definition, symbols, a fix). Modules:

- `analysis`: one open document through the loader (with an overlay of the
  open documents) and the type checker, to an `Analysis`;
- `index`: the names of an analysed program: declarations, every
  occurrence, what a position names;
- `verdicts`: checking a saved document in a worker process, cancelled
  when the document changes, reusing proof records and earlier answers;
- `positions`, `convert`, `symbols`, `fixes`, `hover`: the protocol's side
  (lsprotocol types);
- `server`: the pygls server that wires them to the protocol.

Only `positions`, `convert`, `symbols`, `fixes`, `hover` and `server` import
lsprotocol or pygls (the `lsp` extra); `analysis`, `index` and `verdicts` run
without them (the verdict worker imports nothing of the protocol).
"""
