"""Lesson 3 (tutorial §3.1): a CNN reads handwritten digits (/digits), and students train one (/digits-training).

`data` (MNIST as shipped, one `Data` shape), `preprocess` (a drawing to a 28x28
MNIST-style image), `strokes` (digits drawn by program), `model` (reading a
digit, inside the network, scoring), `pictures` (what the pages show of it),
`recipes` (one `Config` for every network: building and training it, the
shipped models' recipes), `augment` (random drawing variations), `jobs` (the
page's live training and its queue), `files` (models and data in and out),
`teach` (a model taught corrected drawings), `state` (the pages' URL settings),
`code` (the code panels).
"""
