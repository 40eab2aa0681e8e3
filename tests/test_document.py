from claimlint.document import LineIndex, OffsetMap, ProseBuilder, make_block


def test_copy_segments_merge_and_map_linearly():
    src = "Hello brave world"
    b = ProseBuilder()
    b.copy(src, 0, 5)
    b.copy(src, 5, 11)
    text, omap = b.build()
    assert text == "Hello brave"
    assert len(omap.segments) == 1
    assert omap.span(6, 11) == (6, 11)


def test_replacement_maps_every_char_to_the_whole_original_range():
    src = "AT&amp;T rocks"
    b = ProseBuilder()
    b.copy(src, 0, 2)
    b.replace("&", 2, 7)
    b.copy(src, 7, 14)
    text, omap = b.build()
    assert text == "AT&T rocks"
    assert omap.span(2, 3) == (2, 7)
    assert omap.span(0, 4) == (0, 8)
    assert src[slice(*omap.span(5, 10))] == "rocks"


def test_gap_becomes_one_space_only_between_words():
    src = "a`x`b c `y` d"
    b = ProseBuilder()
    b.copy(src, 0, 1)
    b.gap(1, 4)
    b.copy(src, 4, 7)
    b.gap(7, 11)
    b.copy(src, 11, 13)
    text, _ = b.build()
    assert text == "a b c d"


def test_whitespace_is_normalised_but_positions_stay_exact():
    src = "no\u00a0side\t effects\u200b here"
    b = ProseBuilder()
    b.copy(src, 0, len(src))
    text, omap = b.build()
    assert text == "no side effects here"
    i = text.index("effects")
    assert src[slice(*omap.span(i, i + len("effects")))] == "effects"
    j = text.index("here")
    assert src[slice(*omap.span(j, j + 4))] == "here"


def test_make_block_trims_and_shifts_links():
    src = "   linked text   "
    b = ProseBuilder()
    b.copy(src, 0, len(src))
    from claimlint.document import Link

    b.links.append(Link(0, 6, "https://x"))
    blk = make_block(b, "paragraph")
    assert blk.text == "linked text"
    assert blk.links[0].start == 0 and blk.links[0].end == 6
    assert src[slice(*blk.map.span(0, 6))] == "linked"


def test_line_index_handles_crlf_cr_and_lf():
    text = "ab\r\ncd\ref\ngh"
    li = LineIndex(text)
    assert li.position(0) == (1, 1)
    assert li.position(4) == (2, 1)
    assert li.position(7) == (3, 1)
    assert li.position(text.index("h")) == (4, 2)
    assert li.line_count() == 4


def test_offset_map_end_of_empty_span():
    omap = OffsetMap([(0, 3, 10, 13)])
    assert omap.span(1, 1) == (11, 11)
