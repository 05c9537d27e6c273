"""Tutorial §3.1: a CNN reads handwritten digits (/digits), and students train one (/digits-training).

`data` (MNIST as shipped, one `Data` shape), `pad` (the drawing pad's message and
ink), `preprocess` (a drawing to a 28x28 MNIST-style image), `numpy_net` (the
shipped CNNs run in numpy), `reading` (reading a digit, inside the network,
scoring), `pictures` (what the pages show of it), `keras_net` (one `Config` for
every network: building and training it in Keras, the shipped models' recipes),
`jobs` (the page's live training and the line it waits in), `background`
(training threads that leave the cores to the pages), `finetune` (a copy taught
a student's corrected drawings), `class_finetune` (ours taught a class's
corrected drawings, for the teacher's screen), `mine` (the visitor's own model),
`files` (models and data in and out), `strokes`, `styles` and `nondigits`
(digits and not-digits drawn by program), `augment` (random drawing
variations), `ours` (how the shipped "ours" is trained), `state` (the pages'
URL state), `summaries` (each chart's numbers in a sentence), `code` (the code panels).
"""
