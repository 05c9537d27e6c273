"""Seats in a class: taken through the join form only, back with the browser that holds them, limited per
browser and per address, and the same answer for a code that names no class as for a locked or ended one."""


from dlplay.classroom import limits
from dlplay.classroom.limits import ClassError, RateLimiter, client_address, is_local
from dlplay.classroom.store import Store

from .classroom_helpers import reason


def test_a_seat_comes_back_with_the_browser_that_holds_it_and_is_never_made_by_coming_back(store):
    invitation = store.start_class()
    ada = store.join(invitation.code, "seat-ada", "Ada")
    assert store.rejoin(invitation.code.lower(), "seat-ada") == ada
    assert store.rejoin(invitation.code, "seat-nobody") is None  # a made-up seat is no one ...
    assert store.class_info(invitation.code).students == 1  # ... and makes no one
    for garbage in (None, "", "x" * (limits.MAX_SESSION + 1), 42):
        assert store.rejoin(invitation.code, garbage) is None
    assert store.rejoin("ZZZZZZ", "seat-ada") is None
    store.remove(invitation.code, invitation.teacher_key, "student", ada.number)
    assert store.rejoin(invitation.code, "seat-ada") is None
    assert reason(lambda: store.join(invitation.code, "seat-ada", "Ada again")) == "removed"


def test_a_wrong_code_a_locked_class_and_an_ended_one_answer_alike(store):
    locked, ended = store.start_class(), store.start_class()
    store.join(ended.code, "seat-in", "In")
    store.set_locked(locked.code, locked.teacher_key, True)
    store.end_class(ended.code, ended.teacher_key)
    answers = {reason(lambda c=code: store.join(c, "seat-new", "Eve")) for code in
               ("ZZZZZZ", "K7QM", "not a code", locked.code, ended.code)}
    assert answers == {"no_class"}
    assert reason(lambda: store.join(ended.code, "seat-in")) == "ended"  # one who was in it is told


def test_removed_students_leave_the_count_and_one_address_holds_a_few_seats(store, monkeypatch):
    monkeypatch.setattr(limits, "MAX_STUDENTS", 3)
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key
    at = [store.join(code, f"seat-{k}", address=f"10.0.0.{k}") for k in range(3)]
    assert reason(lambda: store.join(code, "seat-late", address="10.0.0.9")) == "full"
    store.remove(code, key, "student", at[0].number)
    assert store.join(code, "seat-late", address="10.0.0.9").number == 4  # a place again
    monkeypatch.undo()

    other = store.start_class()
    seats = [store.join(other.code, f"s{k}", address="10.0.0.7") for k in range(limits.MAX_SEATS_PER_ADDRESS)]
    assert reason(lambda: store.join(other.code, "one-more", address="10.0.0.7")) == "too_many_seats"
    store.remove(other.code, other.teacher_key, "student", seats[0].number)
    # A removed seat still counts at its address: clearing the cookie does not bring the student back as many.
    assert reason(lambda: store.join(other.code, "one-more", address="10.0.0.7")) == "too_many_seats"
    assert store.join(other.code, "s1", address="10.0.0.7") == seats[1]  # those in it come back
    assert store.join(other.code, "elsewhere", address="10.0.0.8")
    for k in range(limits.MAX_SEATS_PER_ADDRESS + 2):  # this machine itself: its visitors share one address
        store.join(other.code, f"local-{k}", address="127.0.0.1")


def test_joining_is_limited_per_browser_and_per_address_so_codes_cannot_be_tried(tmp_path):
    clock = [0.0]
    store = Store(f"sqlite:///{tmp_path}/class.sqlite3", limiter=RateLimiter(clock=lambda: clock[0]))
    invitation = store.start_class(browser="teacher", address="10.1.1.1")
    burst = limits.RATES["join"][1]
    for k in range(int(burst)):
        assert reason(lambda k=k: store.join(f"ZZZZZ{'ABCDEFGHJK'[k]}", "s", browser="b1", address="10.0.0.1")) \
            == "no_class"
    # The browser has tried enough: even the right code is refused now, and said so plainly.
    assert reason(lambda: store.join(invitation.code, "s", browser="b1", address="10.0.0.1")) == "rate_limited"
    # A script that makes up a new browser for each try meets its address's limit.
    per_address = int(limits.RATES["join_address"][1])
    tries = [_try(store, f"fresh-{k}", "10.0.0.1") for k in range(per_address)]
    left = per_address - int(burst)  # the address's burst, less the browser's tries
    assert tries == ["no_class"] * left + ["rate_limited"] * (per_address - left)
    assert store.join(invitation.code, "s2", browser="b2", address="10.0.0.2").number == 1  # others join
    clock[0] += 31  # one try per 30 s comes back
    assert store.join(invitation.code, "s", browser="b1", address="10.0.0.1").number == 2
    store.close()


def _try(store, browser: str, address: str) -> str:
    try:
        store.join("ZZZZZZ", "s", browser=browser, address=address)
    except ClassError as error:
        return error.reason
    return "joined"


def test_the_address_behind_a_proxy_is_read_only_from_a_proxy_we_trust():
    assert client_address("10.0.0.5", None, None) == "10.0.0.5"
    assert client_address("10.0.0.5", "1.2.3.4", None) == "10.0.0.5"  # anyone can write the header
    assert client_address("10.0.0.5", "1.2.3.4", "127.0.0.1") == "10.0.0.5"
    assert client_address("127.0.0.1", "192.168.1.20", "127.0.0.1, ::1") == "192.168.1.20"
    assert client_address("127.0.0.1", "6.6.6.6, 192.168.1.20", "127.0.0.1") == "192.168.1.20"  # the last hop
    assert client_address("127.0.0.1", "nonsense", "127.0.0.1") == "127.0.0.1"
    assert client_address(None, "1.2.3.4", "127.0.0.1") is None
    assert is_local("127.0.0.1") and is_local("::1") and not is_local("10.0.0.1") and not is_local("x")
    assert not is_local(None)
