"""Lesson 3a (tutorial §3.1): a CNN reads handwritten digits.

`data` (MNIST as shipped), `preprocess` (a drawing to a 28x28 MNIST-style image),
`strokes` (digits drawn by program), `model` (reading a digit, inside the network),
`recipes` (how the shipped models are built and trained), `jobs` (the page's live
training queue), `state` (the pages' URL settings), `code` (the code panels).
"""
