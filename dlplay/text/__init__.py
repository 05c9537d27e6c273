"""Tutorial §3.2: an RNN reads a sentence, word by word.

`tokens` (language, tokens, vocabulary, padding), `numpy_net` (the shipped RNNs,
run in numpy), `reading` (a reading in the visitor's words), `keras_net` (the
same networks in Keras), `train` (training them), `data` (the labelled
sentences and their splits), `baseline` (the n-gram models they are measured
against, and their guide), `tutorial` (the tutorial's own two-sentence
example), `summaries` (each chart's numbers in a sentence), `code` (the code panel's script), `state`
(the page's URL state).
"""
