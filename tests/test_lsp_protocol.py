"""``claimlint server`` at the level of bytes: garbage, malformed requests and a vanished editor
never crash it or leave it running."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest

pytest.importorskip("pygls")

WAIT = 120


def frame(obj) -> bytes:
    body = json.dumps(obj).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, cwd):
        self.proc = subprocess.Popen([sys.executable, "-m", "claimlint", "server"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.buf = b""
        self.seen: list[dict] = []

    def send(self, *messages) -> None:
        for m in messages:
            self.proc.stdin.write(m if isinstance(m, bytes) else frame(m))
        self.proc.stdin.flush()

    def _more(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
            raise AssertionError(f"the server did not answer; it said: {self.seen}")
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            raise AssertionError("the server closed its output")
        self.buf += data

    def message(self, deadline: float) -> dict:
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = next(int(h.split(b":")[1]) for h in head.split(b"\r\n")
                              if h.lower().startswith(b"content-length"))
                if len(rest) >= length:
                    self.buf = rest[length:]
                    msg = json.loads(rest[:length])
                    self.seen.append(msg)
                    return msg
            self._more(deadline)

    def reply(self, want_id, timeout: float = WAIT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            msg = self.message(deadline)
            if msg.get("id") == want_id and "method" not in msg:
                return msg

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    yield s
    s.close()


def test_garbage_and_bad_requests_get_errors_not_a_crash(server):
    server.send(b"Content-Length: 9\r\n\r\n{not json",
                {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"capabilities": {}, "rootUri": None,
                            "initializationOptions": "nonsense"}})
    reply = server.reply(1)
    assert reply["result"]["capabilities"]["hoverProvider"] is True
    # The unreadable message is logged, not put in front of the writer as a server error.
    assert not [m for m in server.seen if m.get("method") == "window/showMessage"
                and "Error in server" in m["params"]["message"]]
    server.send(
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        # A change to a document never opened, a document whose text is not a string, a hover
        # far outside the text, and params of the wrong shape.
        {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///nowhere.md", "version": 2},
            "contentChanges": [{"text": "x"}]}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": "file:///tmp/x.md", "languageId": "markdown", "version": 1,
                             "text": 42}}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": "file:///tmp/y.md", "languageId": "markdown", "version": 1,
                             "text": "Our drops cure insomnia.\ud800\n"}}},
        {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///tmp/y.md", "version": 2},
            "contentChanges": [{"range": {"start": {"line": 40, "character": 3},
                                          "end": {"line": 0, "character": 99}},
                                "text": " More."}]}},
        # A position that is not a valid LSP position at all (a negative line).
        {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///tmp/y.md", "version": 3},
            "contentChanges": [{"range": {"start": {"line": -1, "character": 0},
                                          "end": {"line": 0, "character": 0}}, "text": "x"}]}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
         "params": {"textDocument": {"uri": "file:///tmp/y.md"},
                    "position": {"line": 99999, "character": 4}}},
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover",
         "params": {"textDocument": "oops"}},
        {"jsonrpc": "2.0", "id": 4, "method": "no/such/method", "params": {}},
    )
    assert "error" not in server.reply(2)
    assert "error" in server.reply(3)
    assert "error" in server.reply(4)
    # ... and the document that could be read is checked: the change given end first past the
    # end of the text replaced the first line's end to the text's end.
    deadline = time.monotonic() + WAIT
    while True:
        msg = server.message(deadline)
        if msg.get("method") == "textDocument/publishDiagnostics" and \
                msg["params"]["uri"] == "file:///tmp/y.md" and msg["params"]["version"] == 2:
            break
    assert any(d["code"] == "claims/cure-claim" for d in msg["params"]["diagnostics"])
    server.send({"jsonrpc": "2.0", "id": 5, "method": "shutdown"})
    server.reply(5)
    server.send({"jsonrpc": "2.0", "method": "exit"})
    assert server.proc.wait(WAIT) == 0


def test_the_server_ends_when_the_editor_goes_away(server):
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    server.reply(1)
    server.proc.stdin.close()  # the editor died without saying exit
    try:
        server.proc.wait(WAIT)
    except subprocess.TimeoutExpired:
        raise AssertionError("the server outlived its editor") from None
