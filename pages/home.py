from pathlib import Path

import streamlit as st

import ui

ui.page_setup()

st.title(ui.t("home.title"))
st.markdown(ui.t("home.intro"))
st.subheader(ui.t("home.sections"))
root = Path(__file__).parents[1]
for section, key, file, _, icon in ui.LESSONS:
    if (root / file).exists():
        st.page_link(file, label=ui.t(section), icon=icon)
    else:
        st.markdown(f"{icon} {ui.t(section)} · *{ui.t('home.coming')}*")
st.caption(ui.t("home.howto"))
