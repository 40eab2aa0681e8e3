"""Source readers: what is linted and what is not; decoding."""
from __future__ import annotations

import codecs

import pytest

from claimlint import sources
from claimlint.errors import InputError
from claimlint.linter import Linter
from claimlint.settings import Settings
from claimlint.sources.markdown import MAX_NESTING


def texts(text: str, name: str) -> list[str]:
    return [b.text for b in sources.parse(text, name).blocks]


def kinds(text: str, name: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in sources.parse(text, name).blocks]


class TestMarkdown:
    def test_headings_list_items_and_cells_are_separate_blocks(self):
        md = "# Title\nPara one.\n\n* a\n* b\n\nx | y\n--|--\n1 | 2\n\nSetext\n======\n"
        assert kinds(md, "a.md") == [
            ("heading", "Title"), ("paragraph", "Para one."), ("list-item", "a"), ("list-item", "b"),
            ("table-cell", "x"), ("table-cell", "y"), ("table-cell", "1"), ("table-cell", "2"),
            ("heading", "Setext"),
        ]

    def test_code_is_not_linted(self):
        md = "Text `inline` here.\n\n```python\ncode()\n```\n\n~~~\nmore\n~~~\n\n    indented\n\nEnd."
        assert texts(md, "a.md") == ["Text here.", "End."]

    def test_indented_lines_in_list_items_are_content_not_code(self):
        md = "1. First item\n\n    still the first item\n2. Second\n"
        assert texts(md, "a.md") == ["First item", "still the first item", "Second"]

    def test_links_keep_text_drop_destination_and_record_href(self):
        doc = sources.parse("Read [the study](https://doi.org/10.1/x) now.\n", "a.md")
        blk = doc.blocks[0]
        assert blk.text == "Read the study now."
        assert [(blk.text[l.start:l.end], l.href) for l in blk.links] == [("the study", "https://doi.org/10.1/x")]

    def test_reference_links_and_definitions(self):
        md = "See [the trial][t1] and [other].\n\n[t1]: https://example.org/t1\n[other]: https://e.org\n"
        doc = sources.parse(md, "a.md")
        assert [b.text for b in doc.blocks] == ["See the trial and other."]
        assert len(doc.blocks[0].links) == 2

    def test_unknown_bracket_text_and_footnotes_stay(self):
        assert texts("Improved by half [3] and more[^2].\n", "a.md") == ["Improved by half [3] and more[^2]."]

    def test_images_and_autolinks(self):
        assert texts("An ![alt text](x.png) image <https://a.org/b>.\n", "a.md") == ["An image https://a.org/b."]

    def test_html_in_markdown(self):
        md = "Before.\n\n<div class='x'>\n<p>Inside <em>html</em></p>\n<script>bad()</script>\n</div>\n\nAfter <sup>3</sup> text.\n"
        doc = sources.parse(md, "a.md")
        assert [b.text for b in doc.blocks] == ["Before.", "Inside html", "After 3 text."]
        assert doc.blocks[-1].marks == [(6, 7, "sup")]

    def test_comments_are_recorded_for_suppressions(self):
        doc = sources.parse("<!-- claimlint-disable-file -->\nText <!-- inline --> end.\n", "a.md")
        assert [c[2].strip() for c in doc.comments] == ["claimlint-disable-file", "inline"]
        assert [b.text for b in doc.blocks] == ["Text end."]

    def test_front_matter_only_title_and_description(self):
        md = "---\ntitle: 'Quoted title'\ntags: [a, b]\ndescription: Plain value # comment\nbody: no\n---\nBody.\n"
        assert texts(md, "a.md") == ["Quoted title", "Plain value", "Body."]

    def test_escapes(self):
        assert texts("Not \\*emphasis\\* and 5 \\* 3.\n", "a.md") == ["Not *emphasis* and 5 * 3."]

    def test_intraword_underscores_and_tilde_approx(self):
        assert texts("snake_case_word costs ~70% of ~~old~~ price.\n", "a.md") == \
            ["snake_case_word costs ~70% of old price."]

    def test_blockquote_lazy_continuation(self):
        assert texts("> quoted start\ncontinues lazily\n\nnext\n", "a.md") == ["quoted start continues lazily", "next"]

    def test_unterminated_constructs_are_literal(self):
        assert texts("An [open bracket and `tick and <tag\n", "a.md") == ["An [open bracket and `tick and <tag"]

    def test_unpaired_emphasis_delimiters_stay_text(self):
        md = "Mix 2*3 scoops as per file_name_here, then *stir and _shake.\n"
        assert texts(md, "a.md") == ["Mix 2*3 scoops as per file_name_here, then *stir and _shake."]
        assert texts("Results may vary.*\n\n*Individual results vary.\n", "a.md") == \
            ["Results may vary.*", "*Individual results vary."]

    def test_paired_emphasis_delimiters_are_removed(self):
        md = "**Bold** and *slanted* and __strong__ and _light_ and ~~gone~~ and in*tra*word.\n"
        assert texts(md, "a.md") == ["Bold and slanted and strong and light and gone and intraword."]
        # CommonMark pairs what it can and leaves the rest as text.
        assert texts("**half open* then 3*4*5 and a_b_c.\n", "a.md") == ["*half open then 345 and a_b_c."]
        assert texts("~single tilde~ and ~~~three~~~\n", "a.md") == ["~single tilde~ and ~~~three~~~"]

    def test_code_span_closes_only_on_a_run_of_the_same_length(self):
        assert texts("Keep `` a ` b `` out, and [no `link](/x`) here.\n", "a.md") == ["Keep out, and [no ) here."]

    def test_empty_comments_end_at_once(self):
        doc = sources.parse("Before <!--> middle <!---> after.\n\n<!-->\nNext.\n", "a.md")
        assert [b.text for b in doc.blocks] == ["Before middle after.", "Next."]
        assert [c[2] for c in doc.comments] == ["", "", ""]

    def test_deep_nesting_does_not_recurse_without_limit(self):
        md = ">" * 20000 + " Deeply quoted.\n"
        doc = sources.parse(md, "a.md")
        assert [b.text for b in doc.blocks] == ["Deeply quoted."]
        assert doc.blocks[0].map.span(0, 6) == (20001, 20007)
        # Deeper than the limit, list markers are text; their content still maps back exactly.
        md = "- " * 5000 + "Deeply listed.\n"
        doc = sources.parse(md, "a.md")
        blk = doc.blocks[0]
        assert blk.text == "- " * (5000 - MAX_NESTING) + "Deeply listed."
        start = blk.text.index("Deeply")
        assert md[slice(*blk.map.span(start, start + 6))] == "Deeply"

    def test_nesting_within_the_limit_is_unchanged(self):
        md = "> > > quoted\n> > > - item\n>\n> lazy\n" + "".join("  " * k + "- level\n" for k in range(12))
        assert kinds(md, "a.md") == [("paragraph", "quoted"), ("list-item", "item"), ("paragraph", "lazy")] + \
            [("list-item", "level")] * 12

    @pytest.mark.parametrize("text", [
        "[a](" * 16384, "![" * 32768, "x " + "<![CDATA[" * 7281, "[" * 65536, "[^" * 32768,
        "[a][" * 16384, "[" * 32768 + "]" * 32768, "[`" * 32768, "<a@" + "." * 65533,
        "*a_ " * 16384, "".join("`" * k + " " for k in range(1, 360)),
        ">" * 40 + " x\n" + "y\n" * 32000,
    ], ids=["unclosed-links", "unclosed-images", "cdata", "brackets", "footnotes", "references",
            "nested-brackets", "brackets-and-ticks", "autolink", "emphasis", "tick-runs", "lazy-lines"])
    def test_pathological_blocks_take_linear_time(self, text):
        import time

        t0 = time.process_time()  # CPU time: other work on the machine does not count
        sources.parse(text, "a.md")
        assert time.process_time() - t0 < 2.0  # about 0.3 s; the quadratic scans took 10-180 s

    def test_long_link_text_still_links(self):
        label = "word " * 400
        doc = sources.parse(f"See [{label}](https://x.org/long) now.\n", "a.md")
        blk = doc.blocks[0]
        assert [(l.start, l.href) for l in blk.links] == [(4, "https://x.org/long")]
        assert blk.text == "See " + label.strip() + " now."


class TestHtml:
    def test_invisible_elements_are_skipped(self):
        html = ("<head><style>.a{}</style><script>x()</script></head><body>"
                "<template><p>tpl</p></template><noscript>ns</noscript><p hidden>hid</p>"
                "<div style='display:none'>gone</div><p>Shown <code>code()</code> text.</p>"
                "<pre>pre text</pre><!-- comment --></body>")
        assert texts(html, "a.html") == ["Shown text."]

    def test_title_and_meta_description(self):
        html = '<html><head><title>Page &amp; title</title><meta name="description" content="Meta &quot;desc&quot;"></head></html>'
        assert kinds(html, "a.html") == [("title", "Page & title"), ("front-matter", 'Meta "desc"')]

    def test_entities_numeric_named_and_unknown(self):
        assert texts("<p>&#8220;Hi&#x201D; &copy; &bogus; &amp</p>", "a.html") == ["\u201cHi\u201d \u00a9 &bogus; &"]

    def test_links_are_recorded(self):
        doc = sources.parse('<p>See <a href="https://x.org/?a=1&amp;b=2">the <b>source</b></a>.</p>', "a.html")
        blk = doc.blocks[0]
        assert blk.text == "See the source."
        assert [(blk.text[l.start:l.end], l.href) for l in blk.links] == [("the source", "https://x.org/?a=1&b=2")]

    def test_malformed_markup_does_not_lose_text(self):
        assert texts("<p>a < b and <unclosed text</p><p>x > y", "a.html") == ["a < b and <unclosed text", "x > y"]

    def test_empty_comments_end_at_once(self):
        doc = sources.parse("<!--><p>Shown.</p><!---><p>Also shown.</p><!---->x", "a.html")
        assert [b.text for b in doc.blocks] == ["Shown.", "Also shown.", "x"]
        assert [c[:2] for c in doc.comments] == [(0, 5), (18, 24), (42, 49)]

    def test_end_br_is_a_line_break(self):
        assert texts("<p>Results</br>vary by <b>user</BR >age</b></p>", "a.html") == ["Results vary by user age"]

    def test_list_items_and_cells(self):
        html = "<ul><li>One</li><li>Two</li></ul><table><tr><td>A</td><th>B</th></tr></table><h2>Head</h2>"
        assert kinds(html, "a.html") == [("list-item", "One"), ("list-item", "Two"), ("table-cell", "A"),
                                          ("table-cell", "B"), ("heading", "Head")]


class TestText:
    def test_each_line_is_a_block_unless_it_continues_a_sentence(self):
        txt = ("A Heading\nFirst sentence runs\nonto this line, and a long wrapped line ends with the\n"
               "Then a new one.\nWhat therapy is\nA short heading above.\n\n  \u2022 bullet one\n  \u2022 bullet two\n")
        assert texts(txt, "a.txt") == [
            "A Heading", "First sentence runs onto this line, and a long wrapped line ends with the Then a new one.",
            "What therapy is", "A short heading above.", "\u2022 bullet one", "\u2022 bullet two"]

    def test_unknown_extensions_are_plain_text(self):
        assert sources.format_for("notes.rst") == "text"
        assert sources.format_for("A.MD") == "markdown"
        assert sources.format_for("x.HTM") == "html"


class TestDecode:
    def test_utf8_bom(self):
        doc = sources.load("a.txt", data=codecs.BOM_UTF8 + "caf\u00e9".encode())
        assert doc.text == "caf\u00e9" and doc.bom and doc.encoding == "utf-8"

    @pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
    def test_utf16_with_bom(self, codec, bom):
        doc = sources.load("a.txt", data=bom + "Hello \u00e9".encode(codec))
        assert doc.text == "Hello \u00e9" and doc.encoding == codec

    def test_invalid_utf8_names_line_and_column(self):
        with pytest.raises(InputError) as exc:
            sources.load("bad.txt", data=b"line one\nab\xe9cd\n")
        assert exc.value.path == "bad.txt"
        assert (exc.value.line, exc.value.column) == (2, 3)
        assert "not valid UTF-8" in exc.value.message and "0xE9" in exc.value.message

    def test_declared_html_charset_is_honoured(self):
        raw = '<meta charset="iso-8859-1"><p>caf\u00e9</p>'.encode("latin-1")
        doc = sources.load("a.html", data=raw)
        assert doc.blocks[0].text == "caf\u00e9" and doc.encoding == "cp1252"
        # As in browsers, a page labelled Latin-1 is read as windows-1252: 0x93/0x94 are quotes.
        raw = b'<meta charset="latin1"><p>\x93Fast\x94 relief, caf\xe9</p>'
        assert sources.load("a.html", data=raw).blocks[0].text == "\u201cFast\u201d relief, caf\u00e9"

    @pytest.mark.parametrize("label", ["rot13", "hex", "unicode_escape", "utf-7", "x-no-such-thing"])
    def test_a_charset_pages_cannot_use_is_an_input_error(self, label):
        raw = b"<meta charset=" + label.encode() + b"><p>caf\xe9</p>"
        with pytest.raises(InputError, match="not an encoding of web pages"):
            sources.load("a.html", data=raw)

    def test_decode_error_position_counts_characters_and_every_line_end(self):
        data = "ok\r\nd\u00e9j\u00e0\rvu ".encode("utf-16-le")
        with pytest.raises(InputError) as exc:
            sources.load("a.txt", data=codecs.BOM_UTF16_LE + data + b"\x00\xd8")
        assert (exc.value.line, exc.value.column) == (3, 4)

    def test_binary_file(self):
        with pytest.raises(InputError, match="binary"):
            sources.load("a.txt", data=b"\x89PNG\r\n\x1a\n\x00\x00\x00")

    def test_size_limit(self, tmp_path):
        p = tmp_path / "big.txt"
        p.write_bytes(b"x" * 2000)
        with pytest.raises(InputError, match="limit"):
            sources.load(str(p), max_bytes=1000)

    def test_missing_and_directory(self, tmp_path):
        with pytest.raises(InputError, match="no such file"):
            sources.load(str(tmp_path / "nope.md"))
        with pytest.raises(InputError, match="directory"):
            sources.load(str(tmp_path))

    def test_empty_file(self):
        doc = sources.load("e.md", data=b"")
        assert doc.blocks == [] and doc.text == ""


# -- regressions found by the property tests (tests/test_properties.py) ------------------------

LINTER = Linter(Settings())


# ================================================================================================
# Regression tests for the bugs the properties found
# ================================================================================================

@pytest.mark.parametrize("charset", ["rot13", "hex", "base64", "undefined", "idna"])
def test_meta_charset_non_text_codec_is_input_error(charset):
    data = b"<meta charset=" + charset.encode() + b"><p>Caf\xe9</p>"
    with pytest.raises(InputError):
        sources.load("a.html", data=data)


@pytest.mark.parametrize("data,where", [
    (b"\xff\xfe" + "ok\n\u0a0aab".encode("utf-16-le") + b"\x00\xdc", (2, 4)),
    ("abc\r\rd\u00e9".encode("utf-8") + b"\xff", (3, 3)),
], ids=["utf-16", "cr-newlines"])
def test_decode_error_position(data, where):
    with pytest.raises(InputError) as info:
        sources.load("a.txt", data=data)
    assert (info.value.line, info.value.column) == where


@pytest.mark.parametrize("text,path", [("<!--> <p>It cures cancer.</p>", "a.html"),
                                       ("<!---> <p>It cures cancer.</p>", "a.html"),
                                       ("x <!--> It cures cancer.", "a.md")])
def test_abruptly_closed_empty_comment_hides_the_rest(text, path):
    doc = sources.parse(text, path)
    # The comment ends where it starts: the prose after it is read (inline in Markdown).
    assert any(b.text.endswith("It cures cancer.") for b in doc.blocks), [b.text for b in doc.blocks]


def test_html_end_br_glues_words():
    doc = sources.parse("<p>Studies</br>show it works</p>", "a.html")
    assert [b.text for b in doc.blocks] == ["Studies show it works"]


@pytest.mark.parametrize("text", [">" * 1000 + " cure", "- " * 500 + "cure"],
                         ids=["1000 quotes", "500 lists"])
def test_markdown_deep_nesting_recursion_error(text):
    LINTER.check_document(sources.parse(text, "a.md"))


def test_markdown_unclosed_links_take_quadratic_time():
    import time

    text = "[a](" * 4000  # 16,000 characters; about 3 s today, a linear scan takes milliseconds
    t0 = time.process_time()  # CPU time: other work on the machine does not count
    sources.parse(text, "a.md")
    assert time.process_time() - t0 < 1.0


@pytest.mark.parametrize("tail,line", [(b"\\n\\n\\nIt cures cancer.", 1), (b" \\ud800 It cures cancer.", 1)],
                         ids=["escaped-newlines", "escaped-surrogate"])
def test_meta_charset_unicode_escape(tail, line):
    data = b"<meta charset=unicode_escape><p>Caf\xe9" + tail + b"</p>"
    try:
        doc = sources.load("a.html", data=data)
    except InputError:
        return  # refusing the encoding is fine
    cures = [f for f in LINTER.check_document(doc).findings if f.rule == "claims/cure-claim"]
    assert [f.line for f in cures] == [line]


class TestReadBytes:
    """Only regular files are read, never more than the limit + 1 bytes, and nothing blocks."""

    @pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
    def test_a_fifo_is_refused_without_blocking(self, tmp_path):
        import os

        os.mkfifo(tmp_path / "page.md")
        with pytest.raises(InputError, match=r"is a FIFO \(named pipe\), not a regular file"):
            sources.read_bytes(str(tmp_path / "page.md"), "page.md", 1000)

    @pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
    def test_a_link_to_a_device_is_refused(self, tmp_path, device):
        import os

        if not os.path.exists(device):
            pytest.skip(f"no {device}")
        os.symlink(device, tmp_path / "page.md")
        with pytest.raises(InputError, match="is a character device, not a regular file"):
            sources.read_bytes(str(tmp_path / "page.md"), "page.md", 1000)
        with pytest.raises(InputError, match="character device"):
            sources.read_bytes(str(tmp_path / "page.md"), "page.md", None)

    def test_a_file_claiming_size_zero_is_still_read_within_the_limit(self):
        import os

        proc_file = "/proc/self/status"
        if not os.path.exists(proc_file) or os.path.getsize(proc_file) != 0:
            pytest.skip("needs a /proc file that reports size 0")
        assert b"Name:" in sources.read_bytes(proc_file, "status", 1_000_000)
        with pytest.raises(InputError, match="over the 0 MB limit"):
            sources.read_bytes(proc_file, "status", 10)

    def test_a_socket_is_refused(self, tmp_path):
        import os
        import socket

        path = str(tmp_path / "s.md")
        if len(path) > 100:
            pytest.skip("socket path too long")
        s = socket.socket(socket.AF_UNIX)
        try:
            s.bind(path)
            with pytest.raises(InputError, match="socket"):
                sources.read_bytes(path, "s.md", 1000)
        finally:
            s.close()
            os.unlink(path)

    def test_a_stream_is_read_up_to_the_limit_only(self):
        import io

        assert sources.read_stream(io.BytesIO(b"x" * 1000), "<stdin>", 1000) == b"x" * 1000

        class Endless(io.RawIOBase):
            served = 0

            def readable(self):
                return True

            def readinto(self, b):
                Endless.served += len(b)
                b[:] = b"\0" * len(b)
                return len(b)

        with pytest.raises(InputError, match="<stdin>: the input is over the 1 MB limit"):
            sources.read_stream(io.BufferedReader(Endless()), "<stdin>", 1_000_000)
        assert Endless.served < 3_000_000


class TestMdx:
    def test_mdx_is_read_as_markdown(self):
        assert sources.format_for("post.mdx") == "markdown"
        assert sources.format_for("POST.MDX") == "markdown"
        mdx = ("import Chart from '../components/chart'\n\n# Sleep **better**\n\n"
               "<Chart data={results} />\n\nOur drops *cure* insomnia.\n")
        doc = sources.parse(mdx, "post.mdx")
        assert doc.format == "markdown"
        assert "Sleep better" in [b.text for b in doc.blocks]
        assert "Our drops cure insomnia." in [b.text for b in doc.blocks]

    def test_a_named_mdx_file_is_checked_as_markdown(self, tmp_path):
        from conftest import run_cli

        (tmp_path / "post.mdx").write_text(
            "<!-- claimlint-disable-next-line claims/cure-claim -->\nOur drops *cure* insomnia.\n")
        proc = run_cli("check", "post.mdx", "--isolated", "--no-cache", "--select", "claims/*",
                       cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
