"""Tutorial §1: one neuron, activation functions, softmax, vanishing gradients.

`functions` holds the maths, `state` the page's URL state, `code` the code panel.
"""
