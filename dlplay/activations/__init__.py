"""Tutorial §1: one neuron, activation functions, softmax, vanishing gradients.

`functions` holds the maths, `summaries` each chart's numbers in a sentence, `state` the page's URL
state, `code` the code panel.
"""
