"""The teacher's side of a class: their actions on it, and the forms that ask a poll and remove an entry.
The teacher's screen itself is pages/classroom.py."""

from __future__ import annotations

import streamlit as st

from dlplay import classroom
from dlplay.classroom import board
from dlplay.classroom.export import png_data_url
from dlplay.plain import plain
from ui.components.cookie_jar import cookie, cookies_named, keep_cookies
from ui.language import labels, t
from ui.state import CLASS_KEY

TEACHER = "classroom.teacher"  # {"code", "key"}: this session is the teacher of that class
PROBLEM = "classroom.problem"  # the reason of the teacher's last refused action
SAID = "classroom.said"  # (catalogue key, its values): what the teacher's last action did, said once
REMOVED = "classroom.removed"  # (kind, number, whether it was there) of the last removal, said once
KINDS = ("drawing", "run", "text", "student")
POLLS = board.POLLS


def act(action) -> None:
    """A teacher's action on the class; a refusal is said at the top of the page."""
    try:
        action(classroom.shared_store())
    except classroom.ClassError as error:
        st.session_state[PROBLEM] = error.reason


def new_link(code: str, key: str) -> None:
    """A new teacher key: this session (and, through keep_teacher, this browser) holds it; the old opens nothing."""
    def made(store):
        st.session_state[TEACHER] = {"code": code, "key": store.new_teacher_key(code, key)}
        st.session_state[SAID] = ("classroom.new_link_done", {"code": code})
    act(made)


def delete(code: str, key: str) -> None:
    """The class, deleted; the page is the one that starts a class again."""
    def deleted(store):
        store.delete_class(code, key)
        st.session_state.pop(TEACHER, None)
        st.query_params.pop(CLASS_KEY, None)
        st.session_state[SAID] = ("classroom.deleted", {"code": code})
    act(deleted)


def ask(code: str, key: str) -> None:
    """Ask the poll chosen (or typed) in the form; the students' pages show it within a few seconds."""
    preset = st.session_state.get("classroom.poll_pick")
    if preset in POLLS:
        question, choices = t(f"classroom.poll.q.{preset}"), t(f"classroom.poll.q.{preset}.choices").split("|")
    else:
        question = st.session_state.get("classroom.poll_question", "")
        choices = board.typed_choices(st.session_state.get("classroom.poll_choices", ""))
    act(lambda store: store.ask(code, key, question, choices, preset=preset if preset in POLLS else None))
    st.session_state["classroom.asked"] = preset


def poll_form(code: str, key: str) -> None:
    with st.expander(t("classroom.poll_ask"), icon="🗳️"):
        questions = {**{k: t(f"classroom.poll.q.{k}") for k in POLLS}, "own": t("classroom.poll_own")}
        preset = st.selectbox(t("classroom.poll_pick"), list(questions), key="classroom.poll_pick",
                              format_func=questions.get)
        if preset == "own":
            st.text_input(t("classroom.poll_question"), key="classroom.poll_question")
            st.text_area(t("classroom.poll_choices"), key="classroom.poll_choices",
                         help=t("classroom.poll_choices_help"))
        else:
            st.caption(" · ".join(t(f"classroom.poll.q.{preset}.choices").split("|")))
        st.button(t("classroom.poll_go"), type="primary", on_click=ask, args=(code, key), key="classroom.ask")


def remove(code: str, key: str) -> None:
    """Remove what the form names as the click finds it: a number typed and clicked away from without Enter
    arrives with the click, after the button was drawn."""
    kind, number = st.session_state.get("classroom.remove_kind"), st.session_state.get("classroom.remove_id")
    if kind not in KINDS or type(number) is not int:
        return

    def removing(store):
        st.session_state[REMOVED] = (kind, number, store.remove(code, key, kind, number))
    act(removing)


def undo(code: str, key: str, removed) -> None:
    """Put back what was just removed."""
    def restoring(store):
        store.restore(code, key, removed)
        st.session_state[SAID] = ("classroom.restored", {"what": t(f"classroom.kind.{removed.kind}")})
    act(restoring)


def remove_form(code: str, key: str) -> None:
    said = st.session_state.pop(REMOVED, None)
    with st.expander(t("classroom.remove"), icon="🧹", expanded=said is not None):
        st.caption(t("classroom.remove_help"))
        kind = st.segmented_control(t("classroom.remove_kind"), KINDS, format_func=labels("classroom.kind.", KINDS),
                                    default="drawing", key="classroom.remove_kind")
        st.number_input("№", min_value=1, step=1, key="classroom.remove_id")
        st.button(t("classroom.remove_go"), key="classroom.remove_go", disabled=kind is None, on_click=remove,
                  args=(code, key))
        if said is not None:
            removed_what(code, key, *said)


def removed_what(code: str, key: str, kind: str, number: int, removed) -> None:
    """What the click removed, shown as it was (a drawing's picture; a sentence, a nickname as plain text), with
    Undo; or that nothing had that number."""
    what = t(f"classroom.kind.{kind}")
    if removed is None:
        st.warning(t("classroom.remove_none", what=what, n=number), icon="🧹")
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center", key="classroom_removed"):
        if removed.image is not None:
            st.image(png_data_url(removed.image, 84), width=84, alt=t("alt.removed"))
        st.markdown("🧹 " + t("classroom.removed", what=what, n=number)
                    + (f" · {plain(removed.label, 80)}" if removed.label else ""))
        st.button(t("classroom.undo"), icon="↩️", key="classroom.undo", on_click=undo, args=(code, key, removed))


TEACHER_COOKIE = "dlplay_teacher_"  # + the class code: that class's teacher key, kept in the teacher's browser
KEEP_TEACHER = 30 * 24 * 3600  # seconds: a kept class outlives its day


def keep_teacher(code: str, key: str) -> None:
    """This browser keeps the teacher's key of class `code`: a reload, a second tab, the back button or a
    server restart finds the teacher's screen again, with no key in the address bar."""
    keep_cookies([(TEACHER_COOKIE + code, key, KEEP_TEACHER)])


def kept_teacher_key(code: str) -> str | None:
    """The teacher's key of class `code` that this browser keeps, if any."""
    return cookie(TEACHER_COOKIE + code)


def classes_kept() -> dict[str, str]:
    """{class code: teacher key} of the classes this browser was the teacher of."""
    return {code: key for code, key in cookies_named(TEACHER_COOKIE).items() if classroom.normalize_code(code) == code}
