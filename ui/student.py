"""The student's side of a class: the join form, the badge and the poll on every lesson page, and what a
lesson shares with the teacher (a drawing, a run, a sentence)."""

from __future__ import annotations

import hashlib
import logging
import secrets

import numpy as np
import streamlit as st

from dlplay import classroom
from dlplay.classroom import board
from dlplay.classroom.troubles import Troubles
from dlplay.plain import plain
from ui.components.cookie_jar import cookie, keep_cookies
from ui.guard import fragment
from ui.language import labels, t
from ui.state import CLASS_KEY, SEAT_KEY, raw_query
from ui.visitor import address, browser_cookie, browser_id

log = logging.getLogger("dlplay")
MEMBER_KEY = "_class.member"  # {"code", "seat", "id", "nickname"} once this session has joined a class
CLASS_PROBLEM_KEY, DISMISSED_KEY = "_class.problem", "_class.dismissed"
FORGET_KEY = "_class.forget"  # the class whose seat this browser forgets at the next run (the student left)
SEAT_COOKIE = "dlplay_seat_"  # + the class code: this browser's seat in that class
KEEP_SEAT = 30 * 24 * 3600  # seconds: as long as a kept class lives
DRAWING_PAGES = ("digits",)  # pages where the student draws: nothing may move the pad
CLASS_EVERY = 5  # seconds between two looks of a student's page at their class: a poll, an ended class


def class_problem(reason: str) -> str:
    """What a class's refusal (ClassError's short reason) means, in the visitor's language."""
    key = board.refusal_key(reason)
    return t(key) if key else t("classroom.error.unknown", reason=plain(str(reason), 20))


def class_member() -> dict | None:
    """The class this session has joined, or None: then nothing is shared and nothing written."""
    return st.session_state.get(MEMBER_KEY)


def class_write(write):
    """`write(store, member)` for the class joined, or None. A refusal (an ended class, a full disk) is
    noted for the badge and never breaks the lesson."""
    member = class_member()
    if member is None:
        return None
    try:
        return write(classroom.shared_store(), member)
    except classroom.ClassError as error:
        reason = error.reason
    except Exception:  # the lesson goes on whatever the database does
        log.exception("class %s: a write failed", member["code"])
        reason = "unavailable"
    st.session_state[CLASS_PROBLEM_KEY] = reason
    if reason in board.TROUBLES:
        class_troubles().note(member["code"], reason)
    return None


@st.cache_resource
def class_troubles() -> Troubles:
    """Each class's last student write the database refused, for the teacher's page (`.get(code)`: (reason, when)):
    seen by every process of the server (files in the data folder; not the database, which may be what fails)."""
    from dlplay.classroom.schema import data_dir  # SQLAlchemy, imported only once a class is in use

    return Troubles(data_dir() / "troubles")


def class_invitation(page: str, badge: bool = True) -> None:
    """A lesson page opened from a class link (`?class=K7QM2P`): back in with the seat this browser holds, or
    the join form; then, in a class, its badge (unless `badge` is False: the page puts it with `class_badge`).
    The seat lives in a cookie: a link alone never makes anyone a student, and a reload, a new tab or a restart
    of the server keeps it."""
    raw, member = raw_query().get(CLASS_KEY), class_member()
    code = classroom.normalize_code(raw)
    if raw and (member is None or member["code"] != code) and st.session_state.get(DISMISSED_KEY) != raw:
        if not (code and _rejoin(code)):
            _join_form(raw, code)
    st.query_params.pop(SEAT_KEY, None)  # an earlier version's seat link: no longer an identity
    if (member := class_member()) is not None:
        st.query_params[CLASS_KEY] = member["code"]
        keep_cookies([browser_cookie(), (SEAT_COOKIE + member["code"], member["seat"], KEEP_SEAT)])
        if badge:
            _class_badge(page)
    elif (left := st.session_state.pop(FORGET_KEY, None)) is not None:
        keep_cookies([(SEAT_COOKIE + left, "", 0)])  # left on purpose: the next one at this browser is not them


def seat_cookie(code: str) -> str | None:
    """The seat in class `code` that this browser holds, if any."""
    return cookie(SEAT_COOKIE + code)


def _rejoin(code: str) -> bool:
    try:
        student = classroom.shared_store().rejoin(code, seat_cookie(code))
    except classroom.ClassError:
        return False
    if student is not None:
        _joined(student, seat_cookie(code))
    return student is not None


def _joined(student, seat: str) -> None:
    st.session_state[MEMBER_KEY] = {"code": student.code, "seat": seat, "id": student.id, "nickname": student.nickname}
    st.session_state.pop(CLASS_PROBLEM_KEY, None)


def _join_pressed(code: str) -> None:
    """Join: with the seat this browser already holds in the class (a new name for the same student), or a new
    one; each press is a try, limited per browser and per address."""
    seat = seat_cookie(code) or secrets.token_urlsafe(16)
    try:
        student = classroom.shared_store().join(
            code, seat, st.session_state.get("_class.nickname") or None, unnamed=t("classroom.unnamed"),
            browser=browser_id(), address=address())
    except classroom.ClassError as error:
        st.session_state["_class.join_problem"] = error.reason
        return
    _joined(student, seat)


def _leave(code: str | None) -> None:
    member = st.session_state.pop(MEMBER_KEY, None)
    st.session_state[DISMISSED_KEY] = code
    if member is not None:
        st.session_state[FORGET_KEY] = member["code"]
    for key in (CLASS_KEY, SEAT_KEY):
        st.query_params.pop(key, None)


def _join_form(raw: str, code: str | None) -> None:
    """Nickname and Join. Whether the class exists is said only after the press, and in the same words for a
    code that names no class as for a locked or ended one: trying codes tells nothing."""
    with st.container(border=True, key="class_join"):
        if code is None:
            st.info(t("classroom.join.none", code=plain(raw, 12)), icon="🏫")
            st.button(t("classroom.join.not_now"), on_click=_leave, args=(raw,), key="_class.not_now")
            return
        st.markdown("🏫 **" + t("classroom.join.title", code=code) + "**")
        st.caption(t("classroom.join.shared"))
        st.text_input(t("classroom.join.nickname"), key="_class.nickname", placeholder=t("classroom.join.placeholder"))
        if (problem := st.session_state.pop("_class.join_problem", None)) is not None:
            st.warning(class_problem(problem), icon="⚠️")
        buttons = st.container(horizontal=True)
        buttons.button(t("classroom.join.go"), type="primary", on_click=_join_pressed, args=(code,),
                       key="_class.join")
        buttons.button(t("classroom.join.not_now"), on_click=_leave, args=(raw,), key="_class.not_now")


def class_badge(page: str) -> None:
    """The class's badge where the page puts it (ui.lesson(..., badge=False)): /digits puts it under the reading,
    where it pushes neither the pad nor the reading off a phone's first screen. One place in the page, in a class
    or not, so that what follows keeps its place."""
    with st.container():
        if class_member() is not None:
            _class_badge(page)


@fragment(run_every=CLASS_EVERY)
def _class_badge(page: str) -> None:
    """"Class K7QM · nickname", what this page shares with the teacher, and the teacher's poll."""
    if (member := class_member()) is None:
        if FORGET_KEY in st.session_state:  # Leave, pressed in here: the whole page forgets the class
            st.rerun()
        return
    try:
        shown = classroom.shared_store().badge(member["code"], member["id"], page)
    except classroom.ClassError as error:
        st.caption("🏫 " + class_problem(error.reason))
        return
    info = shown.info
    seen = st.session_state.get("_class.model_seen", info.model_at if info else None)
    if page == "digits" and board.model_changed(info, seen):  # the teacher taught our class's model: offer it now
        st.session_state["_class.model_seen"] = info.model_at
        st.rerun()
    if shown.state != "in":
        st.info(t(f"classroom.badge.{shown.state}", code=member["code"]), icon="🏫")
        st.button(t("classroom.badge.leave"), on_click=_leave, args=(member["code"],), key="_class.leave")
        return
    row = st.container(horizontal=True, vertical_alignment="center", key="class_badge")
    row.caption("🏫 " + t("classroom.badge", code=member["code"], nickname=plain(member["nickname"], 20))
                + " · " + t(f"classroom.shares.{board.shares(page)}"))
    row.button(t("classroom.badge.leave"), on_click=_leave, args=(member["code"],), key="_class.leave")
    if (problem := st.session_state.pop(CLASS_PROBLEM_KEY, None)) not in (None, "rate_limited"):
        st.caption("⚠️ " + class_problem(problem))
    if shown.poll is None:
        return
    if page not in DRAWING_PAGES:
        _poll(member, shown.poll)
        return
    # Above the pad, a poll that opened would push it down mid-stroke: here it waits behind one button on the
    # badge's line, and a toast (which floats) says it came.
    told = st.session_state.setdefault("_class.polls_told", set())
    if (member["code"], shown.poll.number) not in told:
        told.add((member["code"], shown.poll.number))
        st.toast(t("classroom.poll.toast"), icon="🗳️")
    with row.popover(t("classroom.poll.open"), icon="🗳️", type="primary", key="_class.poll_open"):
        _poll(member, shown.poll)


def _poll(member: dict, poll) -> None:
    """The teacher's question: one tap answers (and may change the answer); the class's answers once revealed."""
    key = f"_class.poll.{member['code']}.{poll.number}"

    def answered() -> None:
        choice = st.session_state.get(key)
        if isinstance(choice, int):
            class_write(lambda store, m: store.answer(m["code"], m["id"], choice))

    question, choices = poll.question, poll.choices
    if poll.preset in board.POLLS:  # one of ours: in this student's language, whatever the teacher's
        question = t(f"classroom.poll.q.{poll.preset}")
        choices = t(f"classroom.poll.q.{poll.preset}.choices").split("|")[:len(poll.choices)]
    with st.container(border=True):
        st.markdown("🗳️ **" + plain(question, 200) + "**")
        st.segmented_control(t("classroom.poll.answer"), range(len(choices)), key=key, on_change=answered,
                             format_func=lambda k: plain(choices[k], 60))
        if poll.revealed:
            st.caption(t("classroom.poll.class_answered") + " " + ", ".join(
                f"{plain(choice, 60)}: {n}" for choice, n in zip(choices, poll.counts)))


def class_drawing(strokes, image, reading: int | None, confidence: float, probabilities, model: str,
                  live: bool = False) -> None:
    """/digits in a class: the drawing on the pad, as the model reads it, on the teacher's wall; then the student
    can mark the reading right or wrong. While the pen moves (`live`) nothing is written: the mark of the drawing
    it goes on with stays as it was, so that nothing under it jumps.

    One drawing is one drawing: the strokes since the pad was cleared are one entry, revised in place while the
    student adds a stroke or takes one back (a 4 drawn in two strokes is one 4, not a half-4 and a 4) or while
    another model reads it. Once marked, what follows is a new drawing. A mark stores the reading the student
    saw, with its model. A page that reconnects after a restart sends the same drawing again, which the store
    knows (its newest): nothing is added.
    """
    if class_member() is None or image is None:
        return
    digests = [hashlib.blake2b(np.ascontiguousarray(path).tobytes(), digest_size=8).hexdigest() for path in strokes]
    shown = [reading, model]
    sent = st.session_state.get("_class.drawing")
    if live:
        if sent is not None and sent["id"] is not None and _continues(sent["strokes"], digests):
            _mark(sent["id"], *sent["shown"])
        return
    if sent is None or sent["id"] is None or not _continues(sent["strokes"], digests):
        drawing_id = class_write(lambda store, m: store.add_drawing(
            m["code"], m["id"], image, reading, confidence, probabilities, model))
        sent = st.session_state["_class.drawing"] = {"id": drawing_id, "strokes": digests, "shown": shown}
    elif sent["strokes"] != digests or sent["shown"] != shown:
        drawing_id = class_write(lambda store, m: store.revise_drawing(
            m["code"], m["id"], sent["id"], image, reading, confidence, probabilities, model))
        if sent["shown"] != shown or drawing_id != sent["id"]:  # a new reading, or a new drawing: ask again
            for key in (f"_class.mark.{sent['id']}", f"_class.mark.{sent['id']}.label"):
                st.session_state.pop(key, None)
        sent = st.session_state["_class.drawing"] = {"id": drawing_id, "strokes": digests, "shown": shown}
    if sent["id"] is not None:
        _mark(sent["id"], reading, model)


def _mark(drawing_id: int, reading: int | None, model: str) -> None:
    """Right or wrong (and then which digit), for the drawing `drawing_id` as `model` read it."""
    if reading is None:
        return
    key = f"_class.mark.{drawing_id}"

    def marked() -> None:
        right, label = st.session_state.get(key), st.session_state.get(f"{key}.label")
        if right in ("right", "wrong"):
            class_write(lambda store, m: store.mark_drawing(m["code"], m["id"], drawing_id, right == "right",
                                                            label if right == "wrong" else None, seen=(reading, model)))

    with st.container(border=True, key="class_mark"):
        st.segmented_control(t("classroom.mark.ask", reading=reading), ("right", "wrong"), key=key, on_change=marked,
                             format_func=labels("classroom.mark.", ("right", "wrong")))
        if st.session_state.get(key) == "wrong":
            st.segmented_control(t("classroom.mark.label"), range(10), key=f"{key}.label", on_change=marked)
        if st.session_state.get(key) is not None:
            st.caption("🏫 " + t("classroom.mark.sent"))


def _continues(before: list[str], now: list[str]) -> bool:
    """Whether strokes `now` are the drawing of strokes `before`, gone on with or taken back stroke by stroke."""
    shorter = min(len(before), len(now))
    return shorter > 0 and before[:shorter] == now[:shorter]


def class_run(job_id: int, settings: dict, accuracy: float, seconds: float, curves: dict) -> None:
    """/digits-training in a class: a finished run goes to the teacher's leaderboard, once."""
    if class_member() is None:
        return
    shared = st.session_state.setdefault("_class.runs", set())
    if job_id not in shared:
        shared.add(job_id)
        class_write(lambda store, m: store.add_run(m["code"], m["id"], settings, accuracy, seconds, curves))
    st.caption("🏫 " + t("classroom.shared.run", code=class_member()["code"]))


def class_sentence(text: str, lang: str, model: str, probability: float) -> None:
    """/text in a class: "it read this wrong" sends the sentence (its first MAX_TEXT characters) to "fool the model"."""
    from dlplay.classroom.limits import MAX_TEXT

    if class_member() is None:
        return
    text = text.strip()[:MAX_TEXT]
    if st.session_state.get("_class.text") == text:
        st.caption("🏫 " + t("classroom.shared.text"))
        return

    def send() -> None:
        if class_write(lambda store, m: store.add_text(m["code"], m["id"], text, lang, model, probability, True)):
            st.session_state["_class.text"] = text

    st.button(t("classroom.text.wrong"), icon="👎", on_click=send, key="_class.text_wrong",
              help=t("classroom.text.wrong_help"))


def class_model(load):
    """"Our class's model" for a student of a class whose teacher taught one: (`load(its .keras bytes)`, its
    summary), loaded once per process and version; None outside a class or before."""
    if (member := class_member()) is None:
        return None
    try:
        info = classroom.shared_store().class_info(member["code"])
        st.session_state["_class.model_seen"] = info.model_at if info else None
        return _class_model(info.code, info.model_at, load) if info and info.model_at else None
    except classroom.ClassError:
        return None


@st.cache_resource(max_entries=4, show_spinner=False)
def _class_model(code: str, at: float, _load):
    found = classroom.shared_store().class_model(code)
    return None if found is None else (_load(found[0]), found[1])
