"""The value checks the funds and linking settings files share: each raises the file's own error."""

from __future__ import annotations

import pytest

from fundwatch.lexicons.checks import checked_number, checked_words


class FileError(Exception):
    pass


def fail(problem: str) -> FileError:
    return FileError(f"x.yaml: 条目“a.b”{problem}")


def test_numbers_in_range_pass_and_others_name_the_problem() -> None:
    assert checked_number(3, 0, 5, fail) == 3.0
    with pytest.raises(FileError, match="应为数字"):
        checked_number(True, 0, 5, fail)
    with pytest.raises(FileError, match="应为数字"):
        checked_number("3", 0, 5, fail)
    with pytest.raises(FileError, match="应在 0 到 5 之间，实为 6"):
        checked_number(6, 0, 5, fail)


def test_words_are_trimmed_and_blank_or_non_text_words_named() -> None:
    assert checked_words([" 返利 ", "保本"], fail) == ("返利", "保本")
    with pytest.raises(FileError, match="应为非空的词语列表"):
        checked_words([], fail)
    with pytest.raises(FileError, match="含有非文字或空白的词语：' '"):
        checked_words(["返利", " "], fail)
    with pytest.raises(FileError, match="含有非文字或空白的词语：3"):
        checked_words(["返利", 3], fail)
