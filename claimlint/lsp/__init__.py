"""``claimlint server``: a Language Server Protocol server, so writers see claimlint's findings in
their editor as they type.

- :mod:`claimlint.lsp.text` -- lines and positions in the client's encoding (UTF-16 by default).
- :mod:`claimlint.lsp.edits` -- the edits behind quick fixes and inline suppressions.
"""
