"""The live board of the teacher's screen (/class), read again every REFRESH seconds: who is here, the wall of
drawings, the class's confusions, the class model, the leaderboard, "fool the model" and the poll; and the wall
alone, its tiles as big as a projector allows (`?wall=1`, which a reload keeps). What to show, and how big, is
decided in dlplay.classroom.board; this only draws it."""

from __future__ import annotations

import base64
import time

import streamlit as st

from dlplay import classroom, colours
from dlplay import jobs as line
from dlplay.classroom import board, export, tiles
from dlplay.digits import summaries
from dlplay.digits.class_finetune import UNAVAILABLE, Teaching, teaching_of, teaching_task
from dlplay.digits.reading import NOT_DIGIT
from dlplay.plain import plain, shorten
from ui.charts import figure, plot
from ui.guard import fragment
from ui.invitation import ONE_LINE, code_line
from ui.language import lang, t
from ui.presentation import presenting
from ui.state import raw_query
from ui.student import class_problem, class_troubles
from ui.teacher import act

REFRESH = 2  # seconds between two looks at the class
POLLS = board.POLLS
HIDE, LOCKED = "classroom.hide", "classroom.locked"  # the switches of the page's controls
WALL_KEY = "wall"  # the URL key: ?wall=1 shows the wall alone
WALL_ONLY = "classroom.wall_only"
REDRAWN_FOR = "classroom.redrawn_for"  # the class's state a full run was last asked for (redraw_if_changed)


@st.cache_resource
def teachings() -> dict[str, tuple[str, float, str]]:
    """The class models this process asked the training line to teach, by class code: (job id, when, problem), the
    id "" and a problem when the line refused it."""
    return {}


def start_teaching(code: str, key: str) -> None:
    try:
        teachings()[code] = (line.backend().submit(teaching_task(code, key)), time.monotonic(), "")
    except line.Unavailable:
        teachings()[code] = ("", time.monotonic(), UNAVAILABLE)
    except line.QueueFull:
        teachings()[code] = ("", time.monotonic(), "failed")


def teaching_now(code: str) -> Teaching | None:
    """How the class model's teaching goes, as the training line says; None if none was started here."""
    if (started := teachings().get(code)) is None:
        return None
    job_id, at, problem = started
    try:
        return teaching_of(line.backend().snapshot(job_id), at) if job_id else Teaching("failed", at, problem)
    except line.Unavailable:
        return Teaching("failed", at, UNAVAILABLE)


def wall_only() -> bool:
    """Whether the teacher's screen shows the wall alone: as the link arrived (`?wall=1`), then as the teacher
    switches, written back to the link so that a reload keeps it."""
    if WALL_ONLY not in st.session_state:
        st.session_state[WALL_ONLY] = raw_query().get(WALL_KEY) == "1"
    if st.session_state[WALL_ONLY]:
        st.query_params[WALL_KEY] = "1"
        # The controls are not drawn meanwhile: their switch keeps its place (hidden nicknames stay hidden).
        st.session_state[HIDE] = bool(st.session_state.get(HIDE))
    else:
        st.query_params.pop(WALL_KEY, None)
    return st.session_state[WALL_ONLY]


def show_wall_only(alone: bool) -> None:
    st.session_state[WALL_ONLY] = alone


def name_of(student_id: int, names: dict, hide: bool) -> str:
    return board.name_of(student_id, names, t("classroom.hidden_name", n="{n}") if hide else None)


def read_class(code: str, key: str):
    """(info, screen, poll) of the class as it is now; None once the page says why there is nothing to read."""
    store = classroom.shared_store()
    try:
        info = store.class_info(code)
        if info is None:
            st.warning(t("classroom.gone", code=code), icon="🏫")
            return None
        return info, store.screen(code, key), store.poll(code)
    except classroom.ClassError as error:
        # not_teacher here: the key this screen holds was replaced (New teacher link, on another screen)
        st.error(t("classroom.replaced") if error.reason == "not_teacher" else class_problem(error.reason),
                 icon="⚠️")
        return None


def redraw_if_changed(info) -> None:
    """A full run of the page when what it drew outside this board no longer matches the class: the first student
    joined (the invitation becomes one line and the wall moves up), or another screen of this teacher locked or
    unlocked the class (every screen's switch shows the database). Asked once per state, so it never loops."""
    now = (info.students > 0, info.locked)
    drawn = (st.session_state.get(ONE_LINE, now[0]), st.session_state.get(LOCKED, info.locked))
    if info.ended or drawn == now:
        st.session_state.pop(REDRAWN_FOR, None)
    elif st.session_state.get(REDRAWN_FOR) != now:
        st.session_state[REDRAWN_FOR] = now
        st.rerun()


def who_is_here(students, names: dict, hide: bool) -> None:
    """Each student under the number they have in this class: their "Student n" and the № the remove form takes."""
    st.subheader(t("classroom.here"))
    st.metric(t("classroom.here_count"), "{} / {}".format(*board.here_count(students)))
    now = time.time()
    st.dataframe([{"№": s.number, t("classroom.col.name"): name_of(s.id, names, hide),
                   t("classroom.col.page"): t(f"page.{s.page}") if s.page else "—",
                   t("classroom.col.seen"): t("classroom.seen_now") if s.here
                   else t("classroom.seen", s=board.seen_ago(s, now))}
                  for s in students], hide_index=True, width="stretch",
                 column_config={"№": st.column_config.NumberColumn(width=40)})


@st.cache_data(max_entries=5000, show_spinner=False)
def picture(pixels: bytes, size: int) -> str:
    """A drawing (its 28 × 28 bytes) as the PNG shown, in a data URL: encoded once, not at every refresh, and
    sent inside the screen's update rather than fetched (bench/bench_classroom.py)."""
    return export.png_data_url(pixels, size)


@st.cache_data(max_entries=5000, show_spinner=False)
def tile(pixels: bytes, size: int, right: bool | None) -> str:
    """A wall tile: the drawing framed and badged with its mark (dlplay.classroom.tiles), encoded once."""
    return tiles.tile_data_url(pixels, size, right)


def caption_of(d, name: str, numbered: bool = True) -> str:
    """Who drew it, the reading and their mark; `numbered`: with the drawing's № (for the remove form)."""
    return f"{plain(name, 20)} · {board.said(d.reading)}{board.mark_of(d)}" + (f" · #{d.id}" if numbered else "")


def tiles_of(shown, names: dict, hide: bool, size: int, key: str, numbered: bool = True) -> None:
    if not shown:
        st.caption(t("classroom.wall_empty"))
        return
    with st.container(key=key):
        st.image([tile(d.image.tobytes(), size, d.marked_right) for d in shown], width=size,
                 caption=[caption_of(d, name_of(d.student_id, names, hide), numbered) for d in shown],
                 alt=[t("alt.tile", name=shorten(name_of(d.student_id, names, hide), 20), reading=board.said(d.reading),
                        mark=board.mark_of(d)) for d in shown])


def wall(drawings, names: dict, hide: bool) -> None:
    """Each student's latest drawing with the model's reading and their mark, on the tile and in its caption."""
    head = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    head.subheader(t("classroom.wall"))
    if head.button(t("classroom.wall_only"), icon=":material/fullscreen:", key="classroom.wall_go"):
        show_wall_only(True)
        st.rerun()  # the whole page: the rest of it goes
    tiles_of(board.wall(drawings), names, hide, board.TILE_PRESENT if presenting() else board.TILE,
             "classroom_wall")


def full_wall(code: str, key: str) -> None:
    """The wall alone under the class's code line, with the way back to the whole screen."""
    row = code_line(code, key, folded=False)
    row.button(t("classroom.wall_back"), icon=":material/fullscreen_exit:", on_click=show_wall_only, args=(False,),
               key="classroom.wall_back")
    wall_alone(code, key)


@fragment(run_every=REFRESH)
def wall_alone(code: str, key: str) -> None:
    if (read := read_class(code, key)) is None:
        return
    screen = read[1]
    shown = board.wall(screen.drawings)
    tiles_of(shown, board.names_of(screen.students), bool(st.session_state.get(HIDE)), board.full_wall_tile(len(shown)),
             "classroom_wall_alone", numbered=False)


def confusion_chart(confusion, big: bool):
    """The confusions as a heat map: the mistakes from white (none) to dark red, the right readings on the
    diagonal in pale green with a ✓, every count written large enough to read from the back of a room."""
    cells = board.confusion_cells(confusion)
    digits = list(range(10))
    layer = dict(type="heatmap", x=digits, y=digits, texttemplate="%{text}", showscale=False,
                 textfont=dict(size=22 if big else 15, color=colours.CELL_TEXT, weight="bold"), xgap=2, ygap=2,
                 hoverinfo="skip")
    axis = dict(dtick=1, tickfont=dict(size=20 if big else 14), showgrid=False, zeroline=False)
    return figure([dict(layer, z=cells.mistakes, text=cells.mistakes_text, colorscale=colours.MISTAKES, zmin=0,
                        zmax=cells.top),
                   dict(layer, z=cells.right, text=cells.right_text,
                        colorscale=[[0, colours.RIGHT_CELL], [1, colours.RIGHT_CELL]])],
                  height=380, plot_bgcolor="white",
                  xaxis=dict(axis, title=dict(text=t("classroom.read_as")), side="top"),
                  yaxis=dict(axis, title=dict(text=t("classroom.truth")), autorange="reversed"))


def confusions(drawings, confusion) -> None:
    """The class's confusions from the marks, and the drawings the model read wrong, by their right digit."""
    left, right = st.columns([1.2, 1], gap="large")
    with left:
        st.markdown(f"**{t('classroom.confusion')}**")
        if confusion.sum():
            plot(confusion_chart(confusion, presenting()), "classroom.confusion",
                 summary=summaries.confusion(confusion, lang(), "classroom.confusion.summary."))
        else:
            st.caption(t("classroom.confusion_empty"))
    with right:
        st.markdown(f"**{t('classroom.wrong')}**")
        for digit, group in board.wrong_by_digit(drawings).items():
            st.caption(t("classroom.wrong_digit", digit=digit, n=len(group)))
            st.image([picture(d.image.tobytes(), 56) for d in group], width=56,
                     caption=[t("classroom.wrong_read", reading=d.reading, id=d.id) for d in group],
                     alt=[t("alt.wrong", reading=d.reading) for d in group])


def class_model(code: str, key: str, info, drawings) -> None:
    """Teach the class model on the drawings whose right digit the students gave; what it learned."""
    st.subheader(t("classroom.model"))
    known = sum(d.label is not None for d in drawings)
    teaching = teaching_now(code)
    if teaching is not None and teaching.status in ("waiting", "teaching"):
        st.info(t(f"classroom.model_{teaching.status}", s=f"{time.monotonic() - teaching.started:.0f}"), icon="🎓")
    else:
        if teaching is not None and teaching.status == "failed":
            unavailable = teaching.problem == UNAVAILABLE
            why = t("classroom.model_unavailable") if unavailable else class_problem(teaching.problem)
            st.error(t("classroom.model_failed", why=why), icon="⚠️")
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
    changes = [(label, said.get(before, before), said.get(after, after))
               for label, before, after in zip(summary["labels"], summary["before"], summary["after"])]
    st.image([picture(base64.b64decode(image), 56) for image in summary["images"]], width=56,
             caption=[f"{label}: {before} → {after}" for label, before, after in changes],
             alt=[t("alt.class_model", label=label, before=before, after=after) for label, before, after in changes])


@st.cache_data(max_entries=8, show_spinner=False)
def model_summary(code: str, at: float) -> dict | None:
    """What teaching the class model at `at` did (fetched once, not with the model's bytes at every refresh)."""
    found = classroom.shared_store().class_model(code)
    return found[1] if found else None


def leaderboard(runs, names: dict, hide: bool) -> None:
    """Every finished /digits-training run, the best test accuracy first; a row's curves one click away. The
    table has the page's width, its narrow columns their own, so that every setting shows at 1440 px."""
    st.subheader(t("classroom.runs"))
    if not runs:
        st.caption(t("classroom.runs_empty"))
        return
    st.session_state["classroom.run_ids"] = [r.id for r in runs]

    def picked() -> None:
        rows = st.session_state["classroom.runs_table"].selection.rows
        ids = st.session_state.get("classroom.run_ids", [])
        st.session_state["classroom.run_shown"] = ids[rows[0]] if rows and rows[0] < len(ids) else None

    widths = {t(f"classroom.col.{column}"): st.column_config.Column(width=width)
              for column, width in (("seconds", 65), ("network", 170), ("images", 65), ("epochs", 60),
                                    ("batch", 55), ("optimizer", 80), ("lr", 100))}
    st.dataframe([{"№": r.id, t("classroom.col.name"): name_of(r.student_id, names, hide),
                   t("classroom.col.accuracy"): r.accuracy, t("classroom.col.seconds"): round(r.seconds),
                   **{t(f"classroom.col.{column}"): value for column, value in board.run_settings(r).items()}}
                  for r in runs], hide_index=True, width="stretch", key="classroom.runs_table",
                 on_select=picked, selection_mode="single-row", column_config={
                     "№": st.column_config.NumberColumn(width=50), **widths, t("classroom.col.accuracy"):
                     st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent", width=110)})
    shown = next((r for r in runs if r.id == st.session_state.get("classroom.run_shown")), None)
    if shown is None:
        st.caption(t("classroom.runs_pick"))
        return
    traces = [dict(type="scatter", x=x, y=y, mode="lines", name=t(f"classroom.curve.{name}"))
              for name, x, y in board.curves_of(shown)]
    plot(figure(traces, height=300, title=dict(text=t("classroom.curves_of", id=shown.id)),
                xaxis=dict(title=dict(text=t("classroom.epoch"))), yaxis=dict(rangemode="tozero"),
                legend=dict(orientation="h", y=-0.3)), "classroom.curves", summary=board.curves_summary(shown, lang()))


def fool_the_model(texts, names: dict, hide: bool) -> None:
    """Sentences students say /text read wrong, the most confidently wrong first; each's № first, for removing."""
    st.subheader(t("classroom.texts"))
    if not texts:
        st.caption(t("classroom.texts_empty"))
        return
    st.dataframe([{"№": x.id, t("classroom.col.name"): name_of(x.student_id, names, hide),
                   t("classroom.col.sentence"): x.text,
                   t("classroom.col.said"): t("classroom.said_positive" if board.read_positive(x)
                                              else "classroom.said_negative"),
                   t("classroom.col.sure"): x.certainty} for x in texts], hide_index=True, width="stretch",
                 column_config={"№": st.column_config.NumberColumn(width=50),
                                t("classroom.col.sentence"): st.column_config.TextColumn(width="large"),
                                t("classroom.col.sure"): st.column_config.ProgressColumn(
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


@fragment(run_every=REFRESH)
def live(code: str, key: str) -> None:
    """Everything the class sent, read again every REFRESH seconds."""
    if (read := read_class(code, key)) is None:
        return
    info, screen, poll = read
    redraw_if_changed(info)
    if (trouble := class_troubles().get(code)) and time.time() - trouble[1] < 60:
        st.error(t("classroom.students_failed", why=class_problem(trouble[0])), icon="⚠️")
    if info.ended:
        st.info(t("classroom.ended"), icon="🛑")
    hide = bool(st.session_state.get(HIDE))
    names = board.names_of(screen.students)
    left, right = st.columns([1.4, 2], gap="large")
    with left:
        who_is_here(screen.students, names, hide)
    with right:
        wall(screen.drawings, names, hide)
    confusions(screen.drawings, screen.confusion)
    class_model(code, key, info, screen.drawings)
    leaderboard(screen.runs, names, hide)
    fool_the_model(screen.texts, names, hide)
    poll_results(code, key, poll)
