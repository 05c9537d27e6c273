"""dlplay's entry: `streamlit run app.py`.

Sets up what every page shares (language, navigation) and runs the page the
URL asks for. Each lesson has a stable path: /activations, /xor, /digits,
/digits-training, /text; the teacher's screen of a class is /class.

`streamlit run` finds the `st.App` below and first imports this file as a
module, once, to start the server (`ui.server.serving`, see there; its HTTP responses gzip-compressed,
`ui.compression`); each visitor's run then executes it as a script, `main()`.
"""

import streamlit as st


def main() -> None:
    import ui

    st.set_page_config(page_icon="🧠", layout="wide")
    ui.keep_keras_state()

    ui.remember_query()
    ui.language_switch()
    ui.presentation_switch()
    home = st.Page("pages/home.py", title=ui.t("page.home"), icon="🏠", default=True)
    lessons = [
        st.Page(file, title=ui.t(f"page.{key}"), icon=icon, url_path=path)
        for _, key, file, path, icon in ui.LESSONS
    ]
    # The teacher's screen of a class (pages/classroom.py): a page of its own, not a lesson.
    teacher = st.Page("pages/classroom.py", title=ui.t("classroom.page"), icon="🏫", url_path="class")
    page = st.navigation({ui.t("app.nav.start"): [home], ui.t("app.nav.lessons"): lessons,
                          ui.t("classroom.nav"): [teacher]})
    st.set_page_config(page_title=f"{page.title} · dlplay")  # each page's own title, in the visitor's language
    ui.run_page(page)


if __name__ == "__main__":  # a visitor's run
    main()
else:  # the server starting
    from ui import serving
    from ui.compression import middleware

    app = st.App(__file__, lifespan=serving, middleware=middleware())
