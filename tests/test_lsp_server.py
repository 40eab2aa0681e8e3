"""``claimlint server`` end to end: a real LSP client (pytest-lsp) starts the server as a
subprocess and talks to it over stdio -- initialize, open, change, diagnostics with exact ranges
in the negotiated encoding, code actions, hover, configuration changes, broken packs, a 5 MB
document, shutdown and exit."""
from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from helpers import HOUSE_PACK  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="function")

WAIT = 120  # seconds: generous, for two busy cores and a cold spaCy


@dataclass
class Published:
    version: int | None
    diagnostics: list
    at: float


def _client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    client.published = {}            # uri -> [Published, ...]
    client.event = asyncio.Event()

    def publish(ls: LanguageClient, params: types.PublishDiagnosticsParams):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.setdefault(params.uri, []).append(
            Published(params.version, list(params.diagnostics), time.perf_counter()))
        ls.event.set()

    def show_message(ls: LanguageClient, params):
        ls.messages.append(params)
        ls.event.set()

    client.registrations = []

    def register(ls: LanguageClient, params: types.RegistrationParams):
        ls.registrations.extend(params.registrations)
        ls.event.set()

    features[types.CLIENT_REGISTER_CAPABILITY] = register
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.WINDOW_SHOW_MESSAGE] = show_message
    register_lsp_features(client, features)
    return client


async def until(client: LanguageClient, predicate, timeout: float = WAIT, what: str = ""):
    """Wait until ``predicate()`` is true, re-testing it whenever the server says something."""
    deadline = time.monotonic() + timeout
    while True:
        client.event.clear()
        value = predicate()
        if value:
            return value
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(client.event.wait(), left)


async def diagnostics(client, uri: str, version: int | None, timeout: float = WAIT):
    def latest():
        pubs = client.published.get(uri)
        if pubs and (version is None or pubs[-1].version == version):
            return pubs[-1]
        return None
    return (await until(client, latest, timeout, f"diagnostics of {uri} v{version}")).diagnostics


def capabilities(encodings=None, markdown=True, document_changes=True, watch=True,
                 configuration=True) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            configuration=configuration,
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=watch),
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=document_changes)),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(
                content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText] if markdown
                else [types.MarkupKind.PlainText]),
            code_action=types.CodeActionClientCapabilities()))


@contextlib.asynccontextmanager
async def session(root: Path, *, caps=None, init=None, configuration=None, expect_exit=True):
    client = _client()
    if configuration is not None:
        client.set_configuration(configuration)
    await client.start_io(sys.executable, "-m", "claimlint", "server", cwd=str(root))
    try:
        result = await asyncio.wait_for(client.initialize_session(types.InitializeParams(
            capabilities=caps or capabilities(), root_uri=from_fs_path(str(root)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)), name="site")],
            initialization_options=init)), WAIT)
        client.init_result = result
        yield client
        if expect_exit:
            await asyncio.wait_for(client.shutdown_session(), WAIT)
            assert client._server.returncode == 0
    finally:
        with contextlib.suppress(Exception):
            if client._server and client._server.returncode is None:
                client._server.kill()
        await client.stop()


def open_doc(client, path: Path, text: str, language: str = "markdown", version: int = 1) -> str:
    uri = from_fs_path(str(path))
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id=language, version=version, text=text)))
    return uri


def change(client, uri: str, version: int, start, end, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(*start), types.Position(*end)), text=text)]))


def replace_all(client, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def col(line: str, prefix_end: int, encoding: str = "utf-16") -> int:
    """The column of code point ``prefix_end`` of ``line`` in ``encoding``'s code units, worked
    out here independently of the server's code."""
    prefix = line[:prefix_end]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8"))
    if encoding == "utf-32":
        return len(prefix)
    return len(prefix.encode("utf-16-le")) // 2


def where(text: str, needle: str, encoding: str = "utf-16"):
    """(line, start column, end column) of ``needle`` in ``text`` (lines split at LF/CRLF)."""
    for n, line in enumerate(text.replace("\r\n", "\n").split("\n")):
        i = line.find(needle)
        if i >= 0:
            return n, col(line, i, encoding), col(line, i + len(needle), encoding)
    raise AssertionError(needle)


def by_code(diags, code: str):
    return [d for d in diags if d.code == code]


def apply_edit(text: str, edit: types.WorkspaceEdit, uri: str, encoding: str = "utf-16") -> str:
    """Apply a workspace edit as an editor would (positions in ``encoding``)."""
    if edit.document_changes:
        edits = [e for dc in edit.document_changes if dc.text_document.uri == uri for e in dc.edits]
    else:
        edits = list(edit.changes[uri])
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos):
        line = lines[pos.line].rstrip("\r") if pos.line < len(lines) else ""
        n = 0
        for i, ch in enumerate(line):
            if n >= pos.character:
                return starts[pos.line] + i
            n += col(ch, 1, encoding)
        return starts[pos.line] + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits),
                   reverse=True)
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


PAGE = ("# Sleep better 😀\n\n"
        "😀🌙 睡眠 Our drops cure insomnia, and they are clinically proven.\n\n"
        "Calm evenings, calm mornings.\n")


async def test_diagnostics_on_open_and_change_with_utf16_ranges(tmp_path):
    async with session(tmp_path) as client:
        assert client.init_result.capabilities.position_encoding == "utf-16"
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        diags = await diagnostics(client, uri, 1)
        cure, = by_code(diags, "claims/cure-claim")
        line, a, b = where(PAGE, "cure")
        assert (cure.range.start.line, cure.range.start.character) == (line, a)
        assert (cure.range.end.line, cure.range.end.character) == (line, b)
        assert a == 18  # two emoji (2 units each), a space, two CJK characters, a space, "Our drops "
        assert cure.source == "claimlint" and cure.severity == types.DiagnosticSeverity.Error
        assert cure.code_description.href.startswith("https://")
        assert "promises a cure" in cure.message and "\nHelp: " in cure.message
        proven = by_code(diags, "evidence/proven-claim")[0]
        assert (proven.range.start.character, proven.range.end.character) == \
            where(PAGE, "clinically proven")[1:]
        # A document-level finding sits at the sentence the command line reports.
        risk, = by_code(diags, "disclosures/missing-risk-disclosure")
        assert risk.range.start.line == 2

        # Insert an emoji and CJK text before the claim (an incremental change in UTF-16).
        change(client, uri, 2, (2, 5), (2, 5), "🧪🧪 新 ")
        text2 = PAGE.replace("😀🌙 睡眠", "😀🌙 🧪🧪 新 睡眠")
        diags = await diagnostics(client, uri, 2)
        cure, = by_code(diags, "claims/cure-claim")
        assert (cure.range.start.line, cure.range.start.character, cure.range.end.character) == \
            where(text2, "cure")
        # Delete the claim word: its diagnostic goes.
        line, a, b = where(text2, "cure ")
        change(client, uri, 3, (line, a), (line, b), "help with ")
        diags = await diagnostics(client, uri, 3)
        assert not by_code(diags, "claims/cure-claim")
        assert by_code(diags, "evidence/proven-claim")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-32"])
async def test_negotiated_position_encodings(tmp_path, encoding):
    text = PAGE.replace("\n", "\r\n")
    async with session(tmp_path, caps=capabilities(encodings=[encoding, "utf-16"])) as client:
        assert client.init_result.capabilities.position_encoding == encoding
        uri = open_doc(client, tmp_path / "page.md", text)
        cure, = by_code(await diagnostics(client, uri, 1), "claims/cure-claim")
        assert (cure.range.start.line, cure.range.start.character, cure.range.end.character) == \
            where(text, "cure", encoding)
        # An incremental change addressed in the same encoding.
        line, a, _ = where(text, "Our drops", encoding)
        change(client, uri, 2, (line, a), (line, a), "✨ ")
        cure, = by_code(await diagnostics(client, uri, 2), "claims/cure-claim")
        assert cure.range.start.character == where(text.replace("Our drops", "✨ Our drops"),
                                                   "cure", encoding)[1]


async def test_crlf_plain_text_and_html(tmp_path):
    txt = "Intro line 🌿\r\n\r\n🌿🌿 漢字 Our tonic cures fatigue.\r\n"
    html = ("<!DOCTYPE html>\r\n<html><body>\r\n<p>🌿 漢字 Our tonic <b>cures</b> fatigue.</p>\r\n"
            "</body></html>\r\n")
    async with session(tmp_path) as client:
        u1 = open_doc(client, tmp_path / "notes.txt", txt, "plaintext")
        u2 = open_doc(client, tmp_path / "page.html", html, "html")
        for uri, text in ((u1, txt), (u2, html)):
            cure, = by_code(await diagnostics(client, uri, 1), "claims/cure-claim")
            assert (cure.range.start.line, cure.range.start.character,
                    cure.range.end.character) == where(text, "cures"), text


async def test_code_actions_fix_and_suppress(tmp_path):
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        diags = await diagnostics(client, uri, 1)
        cure, = by_code(diags, "claims/cure-claim")
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=cure.range,
            context=types.CodeActionContext(diagnostics=[cure])))
        titles = [a.title for a in actions]
        # Only the actions for the diagnostic asked about (not the page-level one on its line).
        assert titles == ["Suppress claims/cure-claim on this line",
                          "Suppress claims/cure-claim in this file"]
        line_action = actions[0]
        assert line_action.kind == types.CodeActionKind.QuickFix
        assert line_action.edit.document_changes[0].text_document.version == 1
        text2 = apply_edit(PAGE, line_action.edit, uri)
        assert "<!-- claimlint-disable-next-line claims/cure-claim -->\n😀🌙" in text2
        replace_all(client, uri, 2, text2)
        diags2 = await diagnostics(client, uri, 2)
        assert not by_code(diags2, "claims/cure-claim")
        assert not [d for d in diags2 if str(d.code).startswith("claimlint/")]
        assert by_code(diags2, "evidence/proven-claim")

        # The rule's own fix: "clinically proven" -> "clinically studied".
        proven, = by_code(diags2, "evidence/proven-claim")
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=proven.range,
            context=types.CodeActionContext(diagnostics=[proven])))
        fix = next(a for a in actions if a.title.startswith("Replace"))
        assert fix.title == "Replace 'clinically proven' with 'clinically studied'"
        text3 = apply_edit(text2, fix.edit, uri)
        assert "they are clinically studied." in text3
        replace_all(client, uri, 3, text3)
        diags3 = await diagnostics(client, uri, 3)
        assert not [d for d in diags3 if "proven" in d.message]

        # The file-wide suppression of a page-level finding.
        risk, = by_code(diags3, "disclosures/missing-risk-disclosure")
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=risk.range,
            context=types.CodeActionContext(diagnostics=[risk],
                                            only=[types.CodeActionKind.QuickFix])))
        whole = next(a for a in actions if a.title == "Suppress "
                     "disclosures/missing-risk-disclosure in this file")
        text4 = apply_edit(text3, whole.edit, uri)
        assert text4.startswith("<!-- claimlint-disable-file disclosures/missing-risk-disclosure -->\n")
        replace_all(client, uri, 4, text4)
        assert not by_code(await diagnostics(client, uri, 4), "disclosures/missing-risk-disclosure")

        # An unused suppression: its diagnostic offers the removal, and the fix-all action too.
        text5 = "<!-- claimlint-disable-next-line claims/cure-claim -->\nCalm copy.\n"
        replace_all(client, uri, 5, text5)
        unused, = by_code(await diagnostics(client, uri, 5), "claimlint/unused-suppression")
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=unused.range,
            context=types.CodeActionContext(diagnostics=[unused])))
        remove = next(a for a in actions if a.title == "Remove the unused suppression")
        assert remove.is_preferred and apply_edit(text5, remove.edit, uri) == "Calm copy.\n"
        fix_all = next(a for a in actions if a.kind == "source.fixAll.claimlint")
        assert apply_edit(text5, fix_all.edit, uri) == "Calm copy.\n"


async def test_code_actions_without_document_changes_use_changes(tmp_path):
    async with session(tmp_path, caps=capabilities(document_changes=False)) as client:
        uri = open_doc(client, tmp_path / "a.txt", "Our tonic cures fatigue.\n", "plaintext")
        cure, = by_code(await diagnostics(client, uri, 1), "claims/cure-claim")
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=cure.range,
            context=types.CodeActionContext(diagnostics=[cure])))
        line_action = next(a for a in actions if a.title.endswith("on this line"))
        assert line_action.edit.changes[uri][0].new_text == \
            "# claimlint-disable-next-line claims/cure-claim\n"


async def test_hover_shows_the_rule_explained(tmp_path):
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        cure, = by_code(await diagnostics(client, uri, 1), "claims/cure-claim")
        pos = types.Position(cure.range.start.line, cure.range.start.character + 1)
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri), position=pos))
        assert hover.contents.kind == types.MarkupKind.Markdown
        value = hover.contents.value
        for part in ("promises a cure", "**Why it matters**", "**Regulation and guidance**",
                     "**Examples that are reported**", "- ✗ ", "claims/cure-claim", "FTC"):
            assert part in value, part
        assert hover.range == cure.range
        # No finding there: no hover.
        assert await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri), position=types.Position(4, 2))) is None
    async with session(tmp_path, caps=capabilities(markdown=False)) as client:
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        cure, = by_code(await diagnostics(client, uri, 1), "claims/cure-claim")
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri), position=cure.range.start))
        assert hover.contents.kind == types.MarkupKind.PlainText
        assert "Why it matters" in hover.contents.value and "**" not in hover.contents.value


async def test_configuration_file_changes_republish(tmp_path):
    config = tmp_path / ".claimlint.yaml"
    config.write_text("ignore: [claims/cure-claim]\n")
    (tmp_path / "posts").mkdir()
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "posts" / "page.md", PAGE)
        diags = await diagnostics(client, uri, 1)
        assert not by_code(diags, "claims/cure-claim") and by_code(diags, "evidence/proven-claim")
        n = len(client.published[uri])
        # The server asked to be told about configuration and pack files.
        reg, = await until(client, lambda: client.registrations, what="registration")
        assert reg.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        globs = [w["globPattern"] for w in reg.register_options["watchers"]]
        assert "**/.claimlint.yaml" in globs and "**/pyproject.toml" in globs
        # Change the file, tell the server (as an editor's file watcher does): re-published.
        config.write_text("select: [claims/*]\n")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=from_fs_path(str(config)), type=types.FileChangeType.Changed)]))
        await until(client, lambda: len(client.published[uri]) > n, what="re-published")
        diags = client.published[uri][-1].diagnostics
        assert by_code(diags, "claims/cure-claim")
        assert not by_code(diags, "evidence/proven-claim")
        # Without a notification the next check sees the change too.
        config.write_text("select: [evidence/*]\n")
        change(client, uri, 2, (4, 0), (4, 0), "Very ")
        diags = await diagnostics(client, uri, 2)
        assert by_code(diags, "evidence/proven-claim") and not by_code(diags, "claims/cure-claim")


PACK = HOUSE_PACK


async def test_a_broken_pack_is_one_clear_diagnostic_and_a_message_never_a_crash(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(PACK)
    (tmp_path / ".claimlint.yaml").write_text("extend-packs: [./house.yaml]\n")
    text = "Try our miracle drops today; they cure insomnia.\n"
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "page.md", text)
        diags = await diagnostics(client, uri, 1)
        assert by_code(diags, "house/miracle") and by_code(diags, "claims/cure-claim")

        pack.write_text(PACK.replace("kind: phrase", "kind: telepathy"))
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=from_fs_path(str(pack)), type=types.FileChangeType.Changed)]))
        await until(client, lambda: [d for d in client.diagnostics.get(uri, [])
                                     if d.code == "claimlint/configuration"], what="problem")
        diags = client.diagnostics[uri]
        assert len(diags) == 1 and "telepathy" in diags[0].message
        assert "house.yaml" in diags[0].message and diags[0].range.start.line == 0
        await until(client, lambda: client.messages, what="showMessage")
        assert client.messages[0].type == types.MessageType.Error
        assert "house.yaml" in client.messages[0].message
        # The broken pack file itself is marked at the line.
        pack_diags = await until(client, lambda: client.diagnostics.get(from_fs_path(str(pack))),
                                 what="pack diagnostics")
        assert pack_diags[0].range.start.line == 3  # "kind: telepathy"
        # The server still answers, and edits do not repeat the message.
        change(client, uri, 2, (0, 0), (0, 0), "Now: ")
        await diagnostics(client, uri, 2)
        assert len(client.messages) == 1
        assert await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri), position=types.Position(0, 1))) is None

        # Deleted mid-session: still a clear problem.
        pack.unlink()
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=from_fs_path(str(pack)), type=types.FileChangeType.Deleted)]))
        await until(client, lambda: any("house.yaml" in d.message and "telepathy" not in d.message
                                        for d in client.diagnostics.get(uri, [])), what="deleted")

        # Fixed: findings are back, the pack's own diagnostic is cleared.
        pack.write_text(PACK)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=from_fs_path(str(pack)), type=types.FileChangeType.Created)]))
        await until(client, lambda: by_code(client.diagnostics.get(uri, []), "house/miracle"),
                    what="fixed")
        await until(client, lambda: list(client.diagnostics.get(from_fs_path(str(pack)), [1])) == [],
                    what="pack diagnostics cleared")


async def test_editor_settings_initialization_options_and_workspace_configuration(tmp_path):
    init = {"select": ["claims/*"], "debounce": 50, "languages": ["restructuredtext"],
            "bogus": 1}
    async with session(tmp_path, init=init,
                       configuration={"claimlint": {"ignore": ["claims/cure-claim"]}}) as client:
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        # The unknown setting is reported, not fatal.
        await until(client, lambda: any("bogus" in m.message for m in client.messages),
                    what="warning about the unknown setting")
        # workspace/configuration is asked after initialisation; its ignore applies over init.
        await until(client, lambda: client.published.get(uri) and not by_code(
            client.published[uri][-1].diagnostics, "claims/cure-claim"), what="configuration")
        diags = client.published[uri][-1].diagnostics
        assert all(str(d.code).startswith("claims/") for d in diags)
        # A language the user added is checked as plain text.
        rst = open_doc(client, tmp_path / "notes.rst", "Our tonic is completely safe.\n",
                       "restructuredtext")
        assert by_code(await diagnostics(client, rst, 1), "claims/safety-claim")
        # Python is not prose: nothing is reported for it.
        py = open_doc(client, tmp_path / "tool.py", "# our drops cure insomnia\n", "python")
        n = len(client.published.get(uri, []))
        client.set_configuration({"claimlint": {"ignore": []}})
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await until(client, lambda: len(client.published[uri]) > n and by_code(
            client.published[uri][-1].diagnostics, "claims/cure-claim"), what="re-configured")
        assert list(await diagnostics(client, py, 1)) == []


async def test_push_configuration_for_clients_without_workspace_configuration(tmp_path):
    async with session(tmp_path, caps=capabilities(configuration=False)) as client:
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        assert by_code(await diagnostics(client, uri, 1), "claims/cure-claim")
        n = len(client.published[uri])
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"claimlint": {"ignore": ["claims/*"]}}))
        await until(client, lambda: len(client.published[uri]) > n, what="re-published")
        assert not [d for d in client.published[uri][-1].diagnostics
                    if str(d.code).startswith("claims/")]


async def test_rapid_changes_are_debounced_and_only_the_newest_is_published(tmp_path):
    async with session(tmp_path, init={"debounce": 300}) as client:
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        await diagnostics(client, uri, 1)
        n = len(client.published[uri])
        for v in range(2, 12):
            change(client, uri, v, (4, 0), (4, 0), "x")
        last_keystroke = time.perf_counter()
        await diagnostics(client, uri, 11)
        assert client.published[uri][-1].at - last_keystroke >= 0.3  # the debounce
        await asyncio.sleep(1.0)  # nothing else arrives later
        # The first edit is checked at once (its result is published only if no newer edit
        # came in meanwhile); the nine that follow within the debounce make one check.
        versions = [p.version for p in client.published[uri][n:]]
        assert versions in ([11], [2, 11]), versions
        # Closing the document clears its diagnostics.
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            types.TextDocumentIdentifier(uri)))
        await until(client, lambda: list(client.published[uri][-1].diagnostics) == []
                    and client.published[uri][-1].version is None, what="cleared")


async def test_a_5mb_document_leaves_the_server_answering(tmp_path):
    big = ("Our drops cure insomnia, and they are clinically proven. Calm copy follows.\n\n"
           * 70_000)
    assert len(big.encode()) > 5_000_000
    async with session(tmp_path, expect_exit=False) as client:
        small = open_doc(client, tmp_path / "small.md", PAGE)
        cure, = by_code(await diagnostics(client, small, 1), "claims/cure-claim")
        # With the default limit: one clear diagnostic, at once.
        huge = open_doc(client, tmp_path / "huge.md", big)
        d, = await diagnostics(client, huge, 1, timeout=60)
        assert d.code == "claimlint/too-large"
        assert f"it is {len(big.encode()) / 1e6:.1f} MB" in d.message
        # The user raises the limit: now the worker is busy for minutes with it...
        client.set_configuration({"claimlint": {"maxDocumentSize": 20}})
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await asyncio.sleep(2)
        # ... and the server still answers at once, and takes edits.
        for _ in range(3):
            started = time.monotonic()
            hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(small), position=cure.range.start)), 30)
            assert hover is not None and time.monotonic() - started < 5
        change(client, huge, 2, (0, 0), (0, 0), "Edited. ")
        started = time.monotonic()
        actions = await asyncio.wait_for(client.text_document_code_action_async(
            types.CodeActionParams(text_document=types.TextDocumentIdentifier(small),
                                   range=cure.range,
                                   context=types.CodeActionContext(diagnostics=[cure]))), 30)
        assert actions and time.monotonic() - started < 5
        # Shutdown and exit end the process even with a check running.
        await asyncio.wait_for(client.shutdown_session(), 60)
        assert client._server.returncode == 0


async def test_shutdown_and_exit(tmp_path):
    async with session(tmp_path, expect_exit=False) as client:
        uri = open_doc(client, tmp_path / "page.md", PAGE)
        await diagnostics(client, uri, 1)
        await asyncio.wait_for(client.shutdown_async(None), WAIT)
        client.exit(None)
        await asyncio.wait_for(client._server.wait(), WAIT)
        assert client._server.returncode == 0
