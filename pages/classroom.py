"""The class together: a teacher's screen of what every student draws, trains and types (served at /class).

Start a class (a code, a link and its QR code); then, refreshing itself every two seconds: who is here, the
wall of drawings, the class's confusions, the class model, the leaderboard, "fool the model" and a poll. The
teacher's rights travel in the teacher key (this session, and the teacher's own link), never in the class code.
"""

import base64
import threading
import time

import streamlit as st

import ui
from dlplay import classroom, colours
from dlplay.classroom import board, export, invite
from dlplay.digits.class_finetune import Teaching, teach
from dlplay.digits.reading import NOT_DIGIT
from dlplay.plain import plain
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

t = ui.t
REFRESH = 2  # seconds between two looks at the class
MAX_KEPT_SHOWN = 5  # classes this browser started, offered back on /class
POLLS = board.POLLS


@st.cache_resource
def teachings() -> dict[str, Teaching]:
    """The class models being taught in this process, by class code."""
    return {}


def start() -> None:
    def started(store):
        invitation = store.start_class(browser=browser_id(), address=visitor_address())
        st.session_state[TEACHER] = {"code": invitation.code, "key": invitation.teacher_key}
        st.query_params[ui.CLASS_KEY] = invitation.code  # a class code left in the address is another class's
    act(started)


def start_another() -> None:
    """After a class has ended: the screen to start the next, with the ended class's code out of the address."""
    st.session_state.pop(TEACHER, None)
    st.query_params.pop(ui.CLASS_KEY, None)


def start_teaching(code: str, key: str) -> None:
    teaching = teachings()[code] = Teaching()
    threading.Thread(target=teach, args=(classroom.shared_store(), code, key, teaching), name=f"teach-{code}",
                     daemon=True).start()


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


def address() -> str:
    """The address students' devices reach this server at: the LAN address when it listens on every network
    (Streamlit's default), as the teacher may correct it."""
    default = invite.base_url(st.get_option("server.address"), st.get_option("server.port"))
    st.session_state.setdefault("classroom.address", default)
    typed = st.text_input(t("classroom.address"), key="classroom.address", help=t("classroom.address_help"))
    used, understood, local = board.student_address(typed, default)
    if not understood:
        st.warning(t("classroom.address_bad", address=plain(typed.strip(), 80)), icon="⚠️")
    if local:
        st.caption("⚠️ " + t("classroom.address_local"))
    return used


def invitation(code: str, key: str) -> None:
    """The class code, the link with it and its QR code, large enough to scan from the back of a room."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.metric(t("classroom.code"), code)
        base = address()
        link = invite.class_link(base, "digits", code)
        st.caption(t("classroom.link"))
        st.code(link, language=None)
        with st.expander(t("classroom.teacher_link"), icon="🔑"):
            st.caption(t("classroom.teacher_link_help"))
            st.code(invite.class_link(base, "class", code, teacher=key), language=None)
    right.image(invite.qr_svg(link, fit=True), width="stretch")


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


def name_of(student_id: int, names: dict, hide: bool) -> str:
    return board.name_of(student_id, names, t("classroom.hidden_name", n="{n}") if hide else None)


def who_is_here(students, names: dict, hide: bool) -> None:
    st.subheader(t("classroom.here"))
    st.metric(t("classroom.here_count"), "{} / {}".format(*board.here_count(students)))
    now = time.time()
    st.dataframe([{"№": s.id, t("classroom.col.name"): name_of(s.id, names, hide),
                   t("classroom.col.page"): t(f"page.{s.page}") if s.page else "—",
                   t("classroom.col.seen"): t("classroom.seen_now") if s.here
                   else t("classroom.seen", s=board.seen_ago(s, now))}
                  for s in students], hide_index=True, width="stretch")


@st.cache_data(max_entries=5000, show_spinner=False)
def picture(pixels: bytes, size: int) -> str:
    """A drawing (its 28 × 28 bytes) as the PNG shown, in a data URL: encoded once, not at every refresh, and
    sent inside the screen's update rather than fetched (bench/bench_classroom.py)."""
    return export.png_data_url(pixels, size)


def caption_of(d, name: str) -> str:
    return f"{plain(name, 20)} · {board.said(d.reading)}{board.mark_of(d)} · #{d.id}"


def wall(drawings, confusion, names: dict, hide: bool) -> None:
    """Each student's latest drawing with the model's reading and their mark; the class's confusions from the marks."""
    st.subheader(t("classroom.wall"))
    shown = board.wall(drawings)
    if not shown:
        st.caption(t("classroom.wall_empty"))
        return
    st.image([picture(d.image.tobytes(), 100) for d in shown],
             caption=[caption_of(d, name_of(d.student_id, names, hide)) for d in shown], width=100)
    left, right = st.columns([1, 1.2], gap="large")
    with left:
        st.markdown(f"**{t('classroom.confusion')}**")
        if confusion.sum():  # coloured: the mistakes; written: every count
            heat = ui.figure([dict(type="heatmap", z=board.mistakes(confusion).tolist(), x=list(range(10)),
                                   y=list(range(10)), text=confusion.tolist(), texttemplate="%{text}",
                                   colorscale=colours.MISTAKES, showscale=False)],
                             height=360, xaxis=dict(title=dict(text=t("classroom.read_as")), dtick=1, side="top"),
                             yaxis=dict(title=dict(text=t("classroom.truth")), dtick=1, autorange="reversed"))
            ui.plot(heat, "classroom.confusion")
        else:
            st.caption(t("classroom.confusion_empty"))
    with right:
        st.markdown(f"**{t('classroom.wrong')}**")
        for digit, group in board.wrong_by_digit(drawings).items():
            st.caption(t("classroom.wrong_digit", digit=digit, n=len(group)))
            st.image([picture(d.image.tobytes(), 56) for d in group], width=56,
                     caption=[t("classroom.wrong_read", reading=d.reading, id=d.id) for d in group])


def class_model(code: str, key: str, info, drawings) -> None:
    """Teach the class model on the drawings whose right digit the students gave; what it learned."""
    st.subheader(t("classroom.model"))
    known = sum(d.label is not None for d in drawings)
    teaching = teachings().get(code)
    if teaching is not None and teaching.status in ("waiting", "teaching"):
        st.info(t(f"classroom.model_{teaching.status}", s=f"{time.monotonic() - teaching.started:.0f}"), icon="🎓")
    else:
        if teaching is not None and teaching.status == "failed":
            st.error(t("classroom.model_failed", why=ui.class_problem(teaching.problem)), icon="⚠️")
        st.button(t("classroom.model_go", n=min(known, board.TAUGHT_AT_MOST)), icon="🎓", type="primary",
                  disabled=not known or info.ended, on_click=start_teaching, args=(code, key), key="classroom.teach")
        st.caption(t("classroom.model_help"))
    if not (summary := info.model_at and model_summary(code, info.model_at)):
        return
    a, b, c = st.columns(3)
    a.metric(t("classroom.model_mnist"), f"{summary['accuracy_after']:.2%}",
             delta=f"{100 * (summary['accuracy_after'] - summary['accuracy_before']):+.2f} pt")
    b.metric(t("classroom.model_drawings", n=summary["n"]), f"{summary['right_before']} → {summary['right_after']}")
    c.metric(t("classroom.model_time"), f"{summary['seconds']:.0f} s")
    st.caption(t("classroom.model_offered"))
    said = {NOT_DIGIT: "✗"}  # a model with a "not a digit" answer
    st.image([picture(base64.b64decode(image), 56) for image in summary["images"]], width=56, caption=[
        f"{label}: {said.get(before, before)} → {said.get(after, after)}"
        for label, before, after in zip(summary["labels"], summary["before"], summary["after"])])


@st.cache_data(max_entries=8, show_spinner=False)
def model_summary(code: str, at: float) -> dict | None:
    """What teaching the class model at `at` did (fetched once, not with the model's bytes at every refresh)."""
    found = classroom.shared_store().class_model(code)
    return found[1] if found else None


def leaderboard(runs, names: dict, hide: bool) -> None:
    """Every finished /digits-training run, the best test accuracy first; a row's curves one click away."""
    st.subheader(t("classroom.runs"))
    if not runs:
        st.caption(t("classroom.runs_empty"))
        return
    st.session_state["classroom.run_ids"] = [r.id for r in runs]

    def picked() -> None:
        rows = st.session_state["classroom.runs_table"].selection.rows
        ids = st.session_state.get("classroom.run_ids", [])
        st.session_state["classroom.run_shown"] = ids[rows[0]] if rows and rows[0] < len(ids) else None

    st.dataframe([{"№": r.id, t("classroom.col.name"): name_of(r.student_id, names, hide),
                   t("classroom.col.accuracy"): r.accuracy, t("classroom.col.seconds"): round(r.seconds),
                   **{t(f"classroom.col.{column}"): value for column, value in board.run_settings(r).items()}}
                  for r in runs], hide_index=True, width="stretch", key="classroom.runs_table",
                 on_select=picked, selection_mode="single-row", column_config={t("classroom.col.accuracy"):
                 st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent")})
    shown = next((r for r in runs if r.id == st.session_state.get("classroom.run_shown")), None)
    if shown is None:
        st.caption(t("classroom.runs_pick"))
        return
    traces = [dict(type="scatter", x=x, y=y, mode="lines", name=t(f"classroom.curve.{name}"))
              for name, x, y in board.curves_of(shown)]
    ui.plot(ui.figure(traces, height=300, title=dict(text=t("classroom.curves_of", id=shown.id)),
                      xaxis=dict(title=dict(text=t("classroom.epoch"))), yaxis=dict(rangemode="tozero"),
                      legend=dict(orientation="h", y=-0.3)), "classroom.curves")


def fool_the_model(texts, names: dict, hide: bool) -> None:
    """Sentences students say /text read wrong, the most confidently wrong first."""
    st.subheader(t("classroom.texts"))
    if not texts:
        st.caption(t("classroom.texts_empty"))
        return
    st.dataframe([{t("classroom.col.name"): name_of(x.student_id, names, hide), t("classroom.col.sentence"): x.text,
                   t("classroom.col.said"): t("classroom.said_positive" if board.read_positive(x)
                                              else "classroom.said_negative"),
                   t("classroom.col.sure"): x.certainty, "№": x.id} for x in texts], hide_index=True, width="stretch",
                 column_config={t("classroom.col.sure"): st.column_config.ProgressColumn(
                     min_value=0.5, max_value=1, format="percent")})


def poll_results(code: str, key: str, poll) -> None:
    st.subheader(t("classroom.poll"))
    if poll is None:
        st.caption(t("classroom.poll_none"))
        return
    st.markdown("🗳️ **" + plain(poll.question, 200) + "**")
    total, shares = board.poll_shares(poll)
    st.caption(t("classroom.poll_answers", n=total))
    if poll.revealed:
        st.dataframe([{t("classroom.col.choice"): choice, t("classroom.col.answers"): n,
                       t("classroom.col.share"): share}
                      for choice, n, share in shares], hide_index=True, width="stretch",
                     column_config={t("classroom.col.share"): st.column_config.ProgressColumn(
                         min_value=0, max_value=1, format="percent")})
    row = st.container(horizontal=True)
    row.button(t("classroom.poll_hide" if poll.revealed else "classroom.poll_reveal"), key="classroom.reveal",
               on_click=act, args=(lambda s: s.reveal(code, key, not poll.revealed),))
    row.button(t("classroom.poll_close"), key="classroom.close_poll", on_click=act,
               args=(lambda s: s.close_poll(code, key),))
    if (preset := st.session_state.get("classroom.asked")) in POLLS and poll.revealed:
        page, query = POLLS[preset]
        row.page_link(page, label=t("classroom.poll_live"), icon="▶️", query_params=query)


@ui.fragment(run_every=REFRESH)
def live(code: str, key: str) -> None:
    """Everything the class sent, read again every REFRESH seconds."""
    store, hide = classroom.shared_store(), bool(st.session_state.get("classroom.hide"))
    try:
        info = store.class_info(code)
        if info is None:
            st.warning(t("classroom.gone", code=code), icon="🏫")
            return
        screen, poll = store.screen(code, key), store.poll(code)
    except classroom.ClassError as error:
        st.error(ui.class_problem(error.reason), icon="⚠️")
        return
    if (trouble := ui.class_troubles().get(code)) and time.time() - trouble[1] < 60:
        st.error(t("classroom.students_failed", why=ui.class_problem(trouble[0])), icon="⚠️")
    if info.ended:
        st.info(t("classroom.ended"), icon="🛑")
    names = board.names_of(screen.students)
    left, right = st.columns([1.4, 2], gap="large")
    with left:
        who_is_here(screen.students, names, hide)
    with right:
        wall(screen.drawings, screen.confusion, names, hide)
    class_model(code, key, info, screen.drawings)
    left, right = st.columns(2, gap="large")
    with left:
        leaderboard(screen.runs, names, hide)
    with right:
        fool_the_model(screen.texts, names, hide)
    poll_results(code, key, poll)


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
    elif info:
        if not info.ended:
            invitation(code, key)
        controls(code, key, info)
        live(code, key)
        poll_form(code, key)
        remove_form(code, key)
