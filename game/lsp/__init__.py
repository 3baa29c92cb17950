"""`understood lsp`: the language server for story files. server.py wires pygls to the pure
modules beside it (symbols, project, complete, hover, diagnostics), which know nothing of LSP."""
