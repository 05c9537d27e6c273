import streamlit as st

import ui

ui.page_setup()

st.title(ui.t("home.title"))
st.markdown(ui.t("home.intro"))
st.subheader(ui.t("home.sections"))
for section, _, file, _, icon in ui.LESSONS:
    st.page_link(file, label=ui.t(section), icon=icon)
st.caption(ui.t("home.howto"))
