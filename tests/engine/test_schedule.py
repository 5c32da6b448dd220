from matchmaker.engine.schedule import Timetable, cover_everyone, fill, schedule_pairs, trade_up


def _table(available, caps, tables):
    return Timetable(available=available, caps=caps, tables=tables)


def test_most_constrained_pairs_go_first():
    # c-d can only meet in slot 0; a-b could meet in either. One table per slot.
    table = _table([0b11, 0b11, 0b01, 0b01], [1, 1, 1, 1], [1, 1])

    unplaced = schedule_pairs(table, [(0, 1, 0.9), (2, 3, 0.5)])

    assert unplaced == []
    assert table.meetings() == [(2, 3, 0.5, 0), (0, 1, 0.9, 1)]


def test_a_blocking_meeting_moves_to_free_a_slot():
    # a-b is in slot 0; c-a can only meet in slot 0, so a-b moves to slot 1.
    table = _table([0b11, 0b11, 0b01], [2, 1, 1], [2, 2])
    table.place(0, 1, 0.4, 0)

    assert schedule_pairs(table, [(0, 2, 0.8)]) == []
    assert table.meetings() == [(0, 2, 0.8, 0), (0, 1, 0.4, 1)]


def test_trade_up_drops_a_weaker_meeting_in_the_way():
    # One slot: a-c (0.2) is there; a-b (0.9) could not be placed.
    table = _table([1, 1, 1], [1, 1, 1], [2])
    table.place(0, 2, 0.2, 0)

    assert trade_up(table, [(0, 1, 0.9)]) == 1
    assert table.meetings() == [(0, 1, 0.9, 0)]


def test_trade_up_never_loses_score():
    table = _table([1, 1, 1], [1, 1, 1], [2])
    table.place(0, 2, 0.95, 0)

    assert trade_up(table, [(0, 1, 0.9)]) == 0
    assert table.meetings() == [(0, 2, 0.95, 0)]


def test_trade_up_respects_caps_by_dropping_the_weakest_meeting():
    # a is at her cap of 1 (with b in slot 1); a-c is worth more and only fits slot 0.
    table = _table([0b11, 0b11, 0b01], [1, 1, 1], [1, 1])
    table.place(0, 1, 0.3, 1)

    assert trade_up(table, [(0, 2, 0.8)]) == 1
    assert table.meetings() == [(0, 2, 0.8, 0)]
    assert table.degree == [1, 0, 1]


def test_fill_adds_best_pairs_within_caps():
    table = _table([1, 1, 1], [1, 1, 1], [5])

    assert fill(table, [(0, 1, 0.9), (0, 2, 0.8), (1, 2, 0.7)]) == 1
    assert table.meetings() == [(0, 1, 0.9, 0)]


def test_cover_everyone_swaps_a_partner_from_someone_with_two_meetings():
    # b meets a (slot 0) and c (slot 1); c also meets e (slot 0). d, free only in slot 1,
    # has nobody: d-b takes slot 1 from b-c, and c keeps c-e.
    table = _table([0b11, 0b11, 0b11, 0b10, 0b11], [2, 2, 2, 1, 2], [5, 5])
    table.place(0, 1, 0.5, 0)
    table.place(1, 2, 0.4, 1)
    table.place(2, 4, 0.3, 0)

    assert cover_everyone(table, [[], [], [], [(0.2, 1)], []]) == 1
    assert {frozenset(m[:2]) for m in table.meetings()} == {
        frozenset({0, 1}),
        frozenset({1, 3}),
        frozenset({2, 4}),
    }
