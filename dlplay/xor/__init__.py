"""Lesson 2 (tutorial §2): backpropagation on XOR, by hand in numpy.

`network` holds the network, its training and backprop ledger, `state` the page's URL settings, `code` the code panel.
"""
