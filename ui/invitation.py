"""The class's invitation on the teacher's screen: its code, the link with it and the link's QR code.

Large, to scan from the back of a room, until the first student has joined; then one line (the code still
large, the QR code one click away for latecomers), so that the wall is on a projector's first screen.
"""

from __future__ import annotations

import streamlit as st

from dlplay import classroom
from dlplay.classroom import board, invite
from dlplay.plain import plain
from ui.language import t

ADDRESS = "classroom.address"  # the address box
ADDRESS_USED = "classroom.address_used"  # what the links use, kept while the box is not drawn (the wall alone)
ONE_LINE = "classroom.invitation_one_line"  # how this session's last full run drew the invitation


def found_address() -> str:
    """The address students' devices reach this server at: the LAN address when it listens on every network
    (Streamlit's default)."""
    return invite.base_url(st.get_option("server.address"), st.get_option("server.port"))


def address() -> str:
    """The address in the class's links, as the teacher may correct it in its box."""
    default = found_address()
    st.session_state.setdefault(ADDRESS, st.session_state.get(ADDRESS_USED, default))
    typed = st.text_input(t("classroom.address"), key=ADDRESS, help=t("classroom.address_help"))
    used, understood, local = board.student_address(typed, default)
    if board.address_too_long(typed):
        st.warning(t("safe.address_long", n=len(typed.strip()), limit=board.MAX_ADDRESS), icon="⚠️")
    elif not understood:
        st.warning(t("classroom.address_bad", address=plain(typed.strip(), 80)), icon="⚠️")
    if local:
        st.caption("⚠️ " + t("classroom.address_local"))
    st.session_state[ADDRESS_USED] = used
    return used


def anyone_joined(code: str) -> bool:
    try:
        info = classroom.shared_store().class_info(code)
    except classroom.ClassError:  # the page says so above; the invitation stays large meanwhile
        return False
    return info is not None and info.students > 0


def invitation(code: str, key: str) -> None:
    """The invitation, large until a student has joined, then one line; the live board (ui.wall) redraws the
    page when that changes."""
    st.session_state[ONE_LINE] = one_line = anyone_joined(code)
    if one_line:
        code_line(code, key)
    else:
        large(code, key)


def large(code: str, key: str) -> None:
    with st.container(key="classroom_invitation"):
        left, right = st.columns([3, 2], gap="large")
    with left:
        st.metric(t("classroom.code"), code)
        base = address()
        link = invite.class_link(base, "digits", code)
        st.caption(t("classroom.link"))
        st.code(link, language=None)
        teacher_link(base, code, key)
    qr_code(right, link, width="stretch")


def code_line(code: str, key: str, folded: bool = True):
    """"Class code K7QM2P · students join at <link>" in one row; `folded`: with the QR code, the address and the
    teacher's link in a popover. The row, for the caller to add to."""
    row = st.container(horizontal=True, vertical_alignment="center", gap="medium", key="classroom_invitation_line")
    row.metric(t("classroom.code"), code, width="content")
    joining = row.container(width="stretch", gap=None)
    base = st.session_state.get(ADDRESS_USED) or found_address()
    if folded:
        with row.popover(t("classroom.invite_more"), icon=":material/qr_code_2:"):
            qr = st.container()  # first, for a latecomer to scan; it needs the address from the box below it
            base = address()
            joining_link = invite.class_link(base, "digits", code)
            qr_code(qr, joining_link, width=320)
            teacher_link(base, code, key)
    joining.caption(t("classroom.join_at"))
    joining.code(invite.class_link(base, "digits", code), language=None)
    return row


def qr_code(where, link: str, width) -> None:
    """The QR code of `link`, or why there is none (a public address too long for one)."""
    if (svg := invite.qr_svg(link, fit=True)) is None:
        where.warning(t("safe.no_qr"), icon="⚠️")
    else:
        where.image(svg, width=width, alt=t("alt.qr", link=link))


def teacher_link(base: str, code: str, key: str) -> None:
    with st.expander(t("classroom.teacher_link"), icon="🔑"):
        st.caption(t("classroom.teacher_link_help"))
        st.code(invite.class_link(base, "class", code, teacher=key), language=None)
