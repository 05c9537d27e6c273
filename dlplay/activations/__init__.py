"""Lesson 1 (tutorial §1): one neuron, activation functions, softmax, vanishing gradients.

`functions` holds the maths, `state` the page's URL settings, `code` the code panel.
"""
