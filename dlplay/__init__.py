"""dlplay: a visual deep-learning playground.

Everything under this package is logic (numpy and Keras). It never imports
streamlit: the pages in ``pages/`` draw, this package computes.
"""

__version__ = "0.1.0"
