"""Tutorial §2: backpropagation on XOR, by hand in numpy.

`numpy_net` holds the network in numpy and its training (one forward, one
backward), `ledger` every number of one step laid out for the page, `charts`
what the page's view draws, `summaries` the numbers each of its charts says in
a sentence, `play` which frames a tick of play mode sends, `state` the page's URL state, `code` the code panel.
"""
