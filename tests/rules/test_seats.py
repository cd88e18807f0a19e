"""Seats of open classes: who may join, seats left per agency, which seat comes next."""

import pytest

from rules.errors import Conflict, RuleViolation
from rules.seats import (
    check_no_seat_no_waitlist,
    check_registrable,
    check_seats,
    check_visibility_reservations,
    may_join,
    seat_for,
    seats_left,
)

HOST, POLICE, EMS, DISPATCH = 1, 2, 3, 4
PARTNERS = {POLICE, EMS}


@pytest.mark.parametrize(
    ("visibility", "agency", "joins"),
    [
        ("host", HOST, True),
        ("host", POLICE, False),
        ("partners", POLICE, True),
        ("partners", DISPATCH, False),
        ("all", DISPATCH, True),
    ],
)
def test_who_may_join_follows_visibility_and_the_hosts_partners(visibility, agency, joins):
    assert may_join(visibility, HOST, agency, PARTNERS) is joins


@pytest.mark.parametrize(
    ("taken", "agency", "left"),
    [
        ({}, POLICE, 20),  # 5 reserved + 15 general
        ({}, EMS, 15),  # general only
        ({POLICE: 5}, POLICE, 15),
        ({POLICE: 5}, EMS, 15),  # the police filled only their own seats
        ({POLICE: 6}, EMS, 14),  # the sixth officer took a general seat
        ({EMS: 15}, POLICE, 5),  # general seats gone, the police still hold theirs
        ({EMS: 15}, DISPATCH, 0),
        ({POLICE: 2, EMS: 15}, POLICE, 3),
    ],
)
def test_seats_left_counts_the_agencys_reservation_then_general_seats(taken, agency, left):
    assert seats_left(20, {POLICE: 5}, taken, False, agency) == left


def test_released_reservations_are_general_seats():
    assert seats_left(20, {POLICE: 5}, {EMS: 15}, True, EMS) == 5
    assert seats_left(20, {POLICE: 5}, {EMS: 15}, True, POLICE) == 5


def test_unlimited_capacity_has_no_count_and_always_a_general_seat():
    assert seats_left(None, {}, {EMS: 400}, False, EMS) is None
    assert seat_for(None, {}, {EMS: 400}, False, EMS) == "general"


@pytest.mark.parametrize(
    ("taken", "agency", "seat"),
    [
        ({POLICE: 4}, POLICE, "reserved"),
        ({POLICE: 5}, POLICE, "general"),
        ({POLICE: 5, EMS: 14}, EMS, "general"),
        ({POLICE: 5, EMS: 15}, EMS, None),
        ({POLICE: 0, EMS: 15}, POLICE, "reserved"),
    ],
)
def test_the_next_seat_is_the_reserved_one_first_then_general(taken, agency, seat):
    assert seat_for(20, {POLICE: 5}, taken, False, agency) == seat


@pytest.mark.parametrize(
    ("capacity", "reserved", "taken", "field"),
    [
        (None, {POLICE: 5}, 0, "reserved_seats"),
        (4, {POLICE: 5}, 0, "reserved_seats"),
        (10, {POLICE: 3, EMS: 8}, 0, "reserved_seats"),
        (10, {99: 3}, 0, "reserved_seats"),
        (10, {POLICE: 0}, 0, "reserved_seats"),
        (-1, {}, 0, "capacity"),
        (5, {}, 6, "capacity"),
    ],
)
def test_bad_seats_name_the_field(capacity, reserved, taken, field):
    with pytest.raises(RuleViolation) as refused:
        check_seats(capacity, reserved, {POLICE, EMS}, taken=taken)
    assert list(refused.value.errors) == [field]


def test_good_seats_pass():
    check_seats(20, {POLICE: 5, EMS: 15}, {POLICE, EMS})
    check_seats(None, {}, set())


def test_seats_are_reserved_only_for_agencies_that_may_join():
    check_visibility_reservations("partners", HOST, {POLICE: 5}, PARTNERS)
    with pytest.raises(RuleViolation) as refused:
        check_visibility_reservations("partners", HOST, {DISPATCH: 5}, PARTNERS)
    assert refused.value.errors == {
        "reserved_seats": {
            0: {
                "agency_id": [
                    f"Agency {DISPATCH} may not join this offering (visibility partners)."
                ]
            }
        }
    }


@pytest.mark.parametrize(
    ("status", "is_open", "already", "message"),
    [
        ("closed", True, False, "The offering is closed; it takes no registrations."),
        ("scheduled", False, False, "Registration for this offering has closed."),
        ("scheduled", True, True, "This person is already registered for this offering."),
    ],
)
def test_registrations_refused_say_why(status, is_open, already, message):
    with pytest.raises(Conflict, match=message):
        check_registrable(status, is_open, already)


def test_a_full_class_without_a_waitlist_refuses():
    check_no_seat_no_waitlist(None, True)
    check_no_seat_no_waitlist("general", False)
    with pytest.raises(Conflict, match="full and keeps no waitlist"):
        check_no_seat_no_waitlist(None, False)
