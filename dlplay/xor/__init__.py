"""Lesson 2 (tutorial §2): backpropagation on XOR, by hand in numpy.

`network` holds the network and its training (one forward, one backward),
`ledger` every number of one step laid out for the page, `charts` what the
page's charts draw, `state` the page's URL settings, `code` the code panel.
"""
