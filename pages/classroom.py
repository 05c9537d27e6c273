"""The class together: a teacher's screen of what every student draws, trains and types (served at /class).

Start a class (a code, a link and its QR code); then, refreshing itself every two seconds: who is here, the
wall of drawings, the class's confusions, the class model, the leaderboard, "fool the model" and a poll. The
teacher's rights travel in the teacher key (this session, and the teacher's own link), never in the class code.
"""

import time

import streamlit as st

import ui
from dlplay import classroom
from dlplay.plain import plain
from ui.invitation import invitation
from ui.teacher import (
    PROBLEM,
    SAID,
    TEACHER,
    act,
    classes_kept,
    delete,
    keep_teacher,
    kept_teacher_key,
    new_link,
    poll_form,
    remove_form,
)
from ui.visitor import address as visitor_address
from ui.visitor import browser_id, keep_browser_id
from ui.wall import full_wall, live, wall_only

t = ui.t
MAX_KEPT_SHOWN = 5  # classes this browser started, offered back on /class
FOCUS_CODE = "classroom.focus_code"  # a class just started: the focus goes to its code (Start is gone)
CODE_SHOWN = (".st-key-classroom_invitation [data-testid=stMetric], "
              ".st-key-classroom_invitation_line [data-testid=stMetric]")


def start() -> None:
    def started(store):
        invitation = store.start_class(browser=browser_id(), address=visitor_address())
        st.session_state[TEACHER] = {"code": invitation.code, "key": invitation.teacher_key}
        st.query_params[ui.CLASS_KEY] = invitation.code  # a class code left in the address is another class's
        st.session_state[FOCUS_CODE] = invitation.code
    act(started)


def start_another() -> None:
    """After a class has ended: the screen to start the next, with the ended class's code out of the address."""
    st.session_state.pop(TEACHER, None)
    st.query_params.pop(ui.CLASS_KEY, None)


def teacher_of_this_session() -> dict | None:
    """The class this session teaches: from the teacher's own link (checked, then taken out of the address bar,
    which a projector shows), from the key this browser keeps (a reload, a second tab, a restart), or held from
    before."""
    query, held = ui.raw_query(), st.session_state.get(TEACHER)
    code, key = classroom.normalize_code(query.get(ui.CLASS_KEY)), query.get(ui.TEACHER_KEY)
    if code and not key and (held is None or held["code"] != code):
        key = kept_teacher_key(code)
    if code and key and held != {"code": code, "key": key}:
        try:
            if classroom.shared_store().is_teacher(code, key):
                held = st.session_state[TEACHER] = {"code": code, "key": key}
        except classroom.ClassError as error:
            st.error(ui.class_problem(error.reason), icon="⚠️")
    st.query_params.pop(ui.TEACHER_KEY, None)
    if held is None or (query.get(ui.CLASS_KEY) and code != held["code"]):
        return None
    st.query_params[ui.CLASS_KEY] = held["code"]
    keep_teacher(held["code"], held["key"])
    return held


def back_to_a_class() -> None:
    """The classes this browser started, still there (ended ones too, to look, download or delete): one tap
    back to each teacher's screen."""
    kept = classes_kept()
    for code, key in sorted(kept.items())[:MAX_KEPT_SHOWN]:
        try:
            info = classroom.shared_store().class_info(code)
            if info is None or not classroom.shared_store().is_teacher(code, key):
                continue
        except classroom.ClassError:
            return
        st.button(t("classroom.back_to_ended" if info.ended else "classroom.back_to", code=code), icon="🏫",
                  key=f"classroom.back.{code}", on_click=reopen, args=(code, key))


def reopen(code: str, key: str) -> None:
    st.session_state[TEACHER] = {"code": code, "key": key}
    st.query_params[ui.CLASS_KEY] = code


def controls(code: str, key: str, info) -> None:
    """Hide nicknames (for projecting), lock, keep (and let go), download everything, a new teacher link, end
    the class, delete it."""
    row = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    row.toggle(t("classroom.hide"), key="classroom.hide", help=t("classroom.hide_help"))
    if not info.ended:
        st.session_state["classroom.locked"] = info.locked
        row.toggle(t("classroom.lock"), key="classroom.locked", help=t("classroom.lock_help"),
                   on_change=lambda: act(lambda s: s.set_locked(code, key, st.session_state["classroom.locked"])))
    if info.keep:
        row.caption(t("classroom.kept"))
        row.button(t("classroom.unkeep"), help=t("classroom.unkeep_help"), key="classroom.unkeep", on_click=act,
                   args=(lambda s: s.keep_class(code, key, False),))
    else:
        row.button(t("classroom.keep"), icon="📌", help=t("classroom.keep_help", at=time.strftime(
            "%H:%M", time.localtime(info.expires))), on_click=act, args=(lambda s: s.keep_class(code, key),),
                   key="classroom.keep")
    row.download_button(t("classroom.download"), lambda: classroom.shared_store().export_zip(code, key),
                        file_name=f"class-{code}.zip", mime="application/zip", icon="⬇️", on_click="ignore")
    with row.popover(t("classroom.new_link"), icon="🔑"):
        st.caption(t("classroom.new_link_help"))
        st.button(t("classroom.new_link_go"), key="classroom.new_link_go", on_click=new_link, args=(code, key))
    if info.ended:
        row.button(t("classroom.another"), icon="🏫", on_click=start_another, key="classroom.another")
    else:
        with row.popover(t("classroom.end"), icon="🛑"):
            st.caption(t("classroom.end_help"))
            st.button(t("classroom.end_go"), type="primary", key="classroom.end_go",
                      on_click=act, args=(lambda s: s.end_class(code, key),))
    with row.popover(t("classroom.delete"), icon="🗑️"):
        st.caption(t("classroom.delete_help", code=code))
        st.button(t("classroom.delete_go"), type="primary", key="classroom.delete_go", on_click=delete,
                  args=(code, key))


def join_by_code() -> None:
    """For a student who typed this page's short address: the class code, then the lesson with the join form.
    A form: one tap on Go (or Enter) takes the code as typed, even on a phone whose keyboard is still open."""
    with st.container(key="classroom_join"), st.form("classroom.join_form", enter_to_submit=True):
        typed = st.text_input(t("classroom.join_code"), key="classroom.join_code", max_chars=12,
                              placeholder="K7QM2P", help=t("classroom.join_code_help"))
        go = st.form_submit_button(t("classroom.join_go"), icon="✍️", key="classroom.join_go")
    if go and (code := classroom.normalize_code(typed)) is not None:
        st.switch_page("pages/digits.py", query_params={ui.CLASS_KEY: code})
    elif go:
        st.warning(t("classroom.join.none", code=plain(typed, 12)), icon="🏫")


ui.page_setup()
keep_browser_id()
st.title(t("classroom.title"))
ui.intro(t("classroom.intro"))
if (problem := st.session_state.pop(PROBLEM, None)) is not None:
    st.error(ui.class_problem(problem), icon="⚠️")
if (said := st.session_state.pop(SAID, None)) is not None:
    st.success(t(said[0], **said[1]), icon="✅")
teacher = teacher_of_this_session()
if teacher is None:
    if code := classroom.normalize_code(ui.raw_query().get(ui.CLASS_KEY)):
        st.warning(t("classroom.not_teacher", code=code), icon="🔒")
        st.page_link("pages/digits.py", label=t("classroom.join_instead", code=code), icon="✍️",
                     query_params={ui.CLASS_KEY: code})
    else:
        back_to_a_class()
        join_by_code()
    # Under its own heading, not a red button beside a student's code box.
    st.divider()
    st.markdown("**" + t("classroom.for_teachers") + "**")
    st.button(t("classroom.start"), icon="🏫", on_click=start, key="classroom.start")
    st.caption(t("classroom.start_help"))
else:
    code, key = teacher["code"], teacher["key"]
    try:
        info = classroom.shared_store().class_info(code)
    except classroom.ClassError as error:  # the database: the class may well be there, the teacher stays
        info = False
        st.error(ui.class_problem(error.reason), icon="⚠️")
    if info is None:
        st.session_state.pop(TEACHER, None)
        st.warning(t("classroom.gone", code=code), icon="🏫")
        st.button(t("classroom.start"), type="primary", icon="🏫", on_click=start, key="classroom.start")
    elif info and wall_only():
        full_wall(code, key)
    elif info:
        if not info.ended:
            invitation(code, key)
            if (started := st.session_state.pop(FOCUS_CODE, None)) is not None:
                ui.focus(CODE_SHOWN, started)  # a keyboard user goes on from the class code a screen reader reads
        controls(code, key, info)
        live(code, key)
        poll_form(code, key)
        remove_form(code, key)
