from rag.ingest.readers.blocks import Block, BlockKind
from rag.ingest.readers.structure import assign_sections, drop_repeats, finish_blocks, link_lead_ins

P, H, L, C, T = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.CODE, BlockKind.TABLE_ROW


def test_link_lead_ins__colon_paragraph_owns_following_members_only() -> None:
    blocks = [Block(P, "Install it:"), Block(L, "a"), Block(C, "x"), Block(T, "r"), Block(P, "After."), Block(L, "b")]
    assert [b.lead_in for b in link_lead_ins(blocks)] == [None, 0, 0, 0, None, None]


def test_link_lead_ins__full_width_colon_counts() -> None:
    blocks = [Block(P, "运行以下命令："), Block(C, "apt update")]
    assert link_lead_ins(blocks)[1].lead_in == 0


def test_assign_sections__headings_nest_and_close_by_level() -> None:
    blocks = [
        Block(H, "4 Files", level=1),
        Block(H, "4.1 control", level=2),
        Block(P, "x"),
        Block(H, "5 Next", level=1),
    ]
    sections = [b.section for b in assign_sections(blocks)]
    assert sections == [("4 Files",), ("4 Files", "4.1 control"), ("4 Files", "4.1 control"), ("5 Next",)]


def test_drop_repeats__long_repeats_go_short_ones_headings_and_code_stay() -> None:
    notice = "This page is part of the ACME handbook, all rights reserved."
    blocks = [Block(P, notice), Block(P, "Output:"), Block(C, "}"), Block(H, "Usage", level=2)] * 2
    kept = [b.text for b in drop_repeats(blocks)]
    assert kept == [notice, "Output:", "}", "Usage", "Output:", "}", "Usage"]


def test_finish_blocks__blank_blocks_dropped_and_lead_ins_index_the_result() -> None:
    blocks = [Block(P, "   "), Block(P, "Steps:"), Block(P, ""), Block(L, "one")]
    result = finish_blocks(blocks)
    assert [b.text for b in result] == ["Steps:", "one"]
    assert result[1].lead_in == 0


def test_finish_blocks__location_from_heading() -> None:
    result = finish_blocks([Block(P, "before"), Block(H, "Setup", level=1), Block(P, "x")], location_from_heading=True)
    assert [b.location for b in result] == ["start of document", "Setup", "Setup"]
