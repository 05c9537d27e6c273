"""dlplay's entry: `streamlit run app.py`.

Sets up what every page shares (language, navigation) and runs the page the
URL asks for. Each lesson has a stable path: /activations, /xor, /digits,
/digits-training, /text.
"""

import streamlit as st

import ui

st.set_page_config(page_title="dlplay", page_icon="🧠", layout="wide")
ui.keep_keras_state()

ui.remember_query()
ui.language_switch()
home = st.Page("pages/home.py", title=ui.t("page.home"), icon="🏠", default=True)
lessons = [
    st.Page(file, title=ui.t(f"page.{key}"), icon=icon, url_path=path)
    for _, key, file, path, icon in ui.LESSONS
]
page = st.navigation({ui.t("app.nav.start"): [home], ui.t("app.nav.lessons"): lessons})
ui.run_page(page)
