"""Lesson 3b (tutorial §3.2): an RNN reads a sentence, word by word.

`tokens` (language, tokens, vocabulary, padding), `model` (the shipped RNNs, run
in numpy), `train` (training them with Keras), `tutorial` (the tutorial's own
two-sentence example), `code` (the code panel's script), `state` (the page's
URL settings).
"""
