"""Lesson 3b (tutorial §3.2): an RNN reads a sentence, word by word.

`tokens` (tokenisers and vocabularies), `model` (the shipped RNNs, run in numpy),
`train` (training them with Keras), `tutorial` (the tutorial's own example), `state`
(the page's URL settings).
"""
