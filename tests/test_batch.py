"""huiwen.batch: rows held by units of work, written together when the batch ends."""

from __future__ import annotations

import pytest

from huiwen import batch


def test_without_a_batch_nothing_is_held():
    assert batch.later(lambda items: None, 1) is False
    assert batch.memo() is None


def test_held_rows_are_written_at_the_end_grouped_by_writer_in_first_held_order():
    calls: list[tuple[str, list[object]]] = []

    def first(items):
        calls.append(("first", items))

    def second(items):
        calls.append(("second", items))

    with batch.batch():
        for item in (1, 2):
            with batch.unit():
                assert batch.later(second, f"s{item}") and batch.later(first, item)
        assert calls == []  # nothing before the end
    assert calls == [("second", ["s1", "s2"]), ("first", [1, 2])]


def test_a_failed_unit_takes_its_held_rows_with_it():
    written: list[object] = []
    with batch.batch():
        with batch.unit():
            batch.later(written.extend, "kept")
        with pytest.raises(RuntimeError), batch.unit():
            batch.later(written.extend, "lost")
            raise RuntimeError("this page failed")
        with batch.unit():
            batch.later(written.extend, "also kept")
    assert written == ["kept", "also kept"]


def test_a_failed_batch_writes_nothing_and_its_memo_ends_with_it():
    written: list[object] = []
    with pytest.raises(RuntimeError), batch.batch():
        batch.memo()["seen"] = True
        with batch.unit():
            batch.later(written.extend, "held")
        raise RuntimeError("the batch failed")
    assert written == [] and batch.memo() is None


def test_an_inner_batch_leaves_the_writing_to_the_outer_one():
    written: list[object] = []
    with batch.batch():
        memo = batch.memo()
        with batch.batch():
            assert batch.memo() is memo
            batch.later(written.extend, "x")
        assert written == []
    assert written == ["x"]


def test_held_shows_what_is_not_written_yet_without_failed_units():
    def write(items):
        pass

    with batch.batch():
        with batch.unit():
            batch.later(write, "first page")
        with pytest.raises(RuntimeError), batch.unit():
            batch.later(write, "failed page")
            assert batch.held(write) == ["first page", "failed page"]  # its own, while it runs
            raise RuntimeError
        with batch.unit():
            batch.later(write, "third page")
            batch.later(print, "another kind")
            assert batch.held(write) == ["first page", "third page"]
    assert batch.held(write) == []


def test_remembered_computes_once_per_batch_and_every_time_outside():
    calls: list[int] = []

    def lookup() -> int:
        calls.append(1)
        return len(calls)

    assert batch.remembered("k", lookup) == 1 and batch.remembered("k", lookup) == 2
    with batch.batch():
        assert batch.remembered("k", lookup) == 3 and batch.remembered("k", lookup) == 3
    assert batch.remembered("k", lookup) == 4
