"""``claimlint server``: a Language Server Protocol server, so writers see claimlint's findings in
their editor as they type (docs/editors.md).

- :mod:`claimlint.lsp.server` -- the pygls server: documents, diagnostics, code actions, hover,
  settings, publishing only the newest result.
- :mod:`claimlint.lsp.engine` -- settings per document (found as the command line finds them and
  reloaded when a configuration or pack file changes), one warm Linter per configuration, and the
  worker thread that runs checks off the event loop with debounce and cancellation.
- :mod:`claimlint.lsp.text` -- lines and positions in the client's encoding (UTF-16 by default).
- :mod:`claimlint.lsp.edits` -- the edits behind quick fixes and inline suppressions.

pygls is imported only by :mod:`claimlint.lsp.server`.
"""
