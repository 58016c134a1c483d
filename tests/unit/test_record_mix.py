"""The record mix bars (figures/record_mix.py): long police.uk outcome names wrapped, the
largest parts drawn and one bar summing the rest, each bar's count and share written."""

from __future__ import annotations

from dashboard.figures.record_mix import Part, mix_bars, shown_parts, wrap_label


def test_a_long_outcome_is_wrapped_at_spaces_within_the_width():
    text = "Further investigation is not in the public interest"  # police.uk's longest, 51
    lines = wrap_label(text, 26).split("\n")
    assert " ".join(lines) == text
    assert all(len(line) <= 26 for line in lines) and len(lines) == 2


def test_the_rest_is_one_bar_with_its_sum_and_how_many_kinds_it_holds():
    parts = [Part(f"outcome {i}", 10 - i, 10.0 - i) for i in range(10)]
    shown = shown_parts(parts, 7, "Other outcomes")
    assert [p.label for p in shown[:7]] == [f"outcome {i}" for i in range(7)]
    assert shown[7] == Part("Other outcomes (3 kinds)", 3 + 2 + 1, 3.0 + 2.0 + 1.0)
    # One part beyond the top is drawn as itself, not as "1 kinds".
    assert shown_parts(parts[:8], 7, "Other outcomes") == parts[:8]


def test_each_bar_says_its_count_and_share_and_labels_break_into_lines():
    figure = mix_bars(
        [Part("Investigation complete; no suspect identified", 1234, 37.04)], "t", "Crimes"
    )
    bar = figure["data"][0]
    assert bar["x"] == [1234.0]
    assert bar["text"] == ["1,234 (37.0%)"]
    assert bar["y"] == ["Investigation complete; no<br>suspect identified"]
