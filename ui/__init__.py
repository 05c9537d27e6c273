"""The UI layer: the only Streamlit code besides the pages; the logic lives in `dlplay/`, which never imports it.

Pages `import ui` and call what is named here; each lives in a module of one job:
`language` (the switch, `t`), `presentation` (projector mode, CSS, folded intros), `url` (settings in the link),
`lesson` (what every lesson page does first, `LESSONS`), `widgets`, `charts`, `guard` (errors as messages),
`student` (the student's side of a class), `teacher`, `invitation` and `wall` (the teacher's: actions and forms,
the code and link, the live board and the wall alone), `server` (start-up and every patch of Streamlit's private
code), `compression` (gzip for what Streamlit serves uncompressed) and `components/<name>/` (our Components v2,
JavaScript, CSS and Python together).
"""

from ui.charts import figure, graph_objects, plot
from ui.components.announce import announce
from ui.components.drawing_pad import drawing_pad
from ui.components.focus import focus
from ui.components.live_text_input import live_text_input, put_text
from ui.components.xor_view import xor_view
from ui.guard import fragment, run_page
from ui.language import labels, lang, language_switch, t
from ui.lesson import LESSONS, lesson
from ui.presentation import (
    AFTER_ON_PHONE,
    CHART_FIRST,
    VIEW_FIRST,
    WRAP_NARROW,
    folded,
    heading,
    intro,
    presentation_switch,
    presenting,
)
from ui.server import keep_keras_state, page_setup, serving, session_id
from ui.state import CLASS_KEY, SEAT_KEY, TEACHER_KEY, PageState, raw_query, remember_query
from ui.student import (
    CLASS_EVERY,
    class_badge,
    class_drawing,
    class_member,
    class_model,
    class_problem,
    class_run,
    class_sentence,
    class_troubles,
    class_write,
)
from ui.widgets import CODE_PANEL_KEY, code_panel, file_uploader, lazy_expander, text_area

__all__ = [
    "CHART_FIRST", "CLASS_EVERY", "CLASS_KEY", "CODE_PANEL_KEY", "LESSONS", "PageState", "SEAT_KEY", "AFTER_ON_PHONE",
    "TEACHER_KEY", "VIEW_FIRST", "WRAP_NARROW", "announce", "class_badge", "class_drawing", "class_member",
    "class_model", "class_problem", "class_run", "class_sentence", "class_troubles", "class_write", "code_panel",
    "drawing_pad", "figure", "file_uploader", "focus", "folded", "fragment", "graph_objects", "heading", "intro",
    "keep_keras_state", "labels", "lang", "language_switch", "lazy_expander", "lesson", "live_text_input",
    "page_setup", "plot", "presentation_switch", "presenting", "put_text", "raw_query", "remember_query", "run_page",
    "serving", "session_id", "t", "text_area", "xor_view",
]
