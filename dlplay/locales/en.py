"""English text. Keys are grouped by page; {names} are filled in by the page."""

TEXT = {
    # The app around the pages
    "app.language": "Language",
    "app.nav.start": "Start",
    "app.nav.lessons": "Lessons",
    "app.notice.ignored": "Some settings in this link were not understood and were reset to their defaults: {items}",
    "app.notice.more": "and {n} more",
    "app.notice.cut": "Only the first {n:,} characters were read; the rest was left out.",
    "app.notice.dropped": "This link was too long to read (at most 1,000 settings and 512 KB), so the page opened with its default settings.",
    "app.error": "Something went wrong on this page; it has been reset. ({error})",
    "code.title": "Code: what produced this page",
    "code.caption": "Runnable as it stands (`python lesson.py`), with the settings you see filled in. It prints the numbers shown above.",

    # Page titles
    "page.home": "Home",
    "page.activations": "Neurons and activations",
    "page.xor": "Backpropagation on XOR",
    "page.digits": "Draw a digit: CNN",
    "page.digits_training": "Train the CNN",
    "page.text": "Read a sentence: RNN",

    # Home
    "home.title": "dlplay: deep learning you can touch",
    "home.intro": (
        "Each page turns one code example of the tutorial *深度学习技术* (Deep learning techniques) "
        "into something you can move, step through and draw on. Every page shows the code "
        "that produced what is on screen, works offline, and keeps its settings in the "
        "link, so a teacher can share exactly what the class should see."
    ),
    "home.sections": "The tutorial, section by section",
    "home.section.1": "§1 Neural network basics: the neuron, activation functions",
    "home.section.2": "§2 Backpropagation: training a network on XOR",
    "home.section.3.1": "§3.1 Convolutional networks: handwritten digits (MNIST)",
    "home.section.3.1b": "§3.1 `model.fit`: train the CNN yourself",
    "home.section.3.2": "§3.2 Recurrent networks: text classification",
    "home.howto": (
        "Tip: change the language in the sidebar, or add `?lang=zh` / `?lang=en` to a link. "
        "Every slider you move is written into the address bar: copy it to share the view."
    ),

    # Lesson 1: neurons and activation functions
    "activations.title": "Neurons and activation functions",
    "activations.intro": (
        "A neural network is built from neurons (tutorial §1.1). Each one weighs its inputs, "
        "adds a bias and passes the sum through an activation function: "
        "$y = f(w_1 x_1 + w_2 x_2 + b)$. Move the sliders and watch what each part does."
    ),
    "activations.neuron.header": "1. One neuron",
    "activations.neuron.inputs": "Inputs",
    "activations.neuron.weights": "Weights and bias",
    "activations.neuron.activation": "Activation function f",
    "activations.neuron.z": "Weighted sum z",
    "activations.neuron.y": "Output y = f(z)",
    "activations.neuron.plane": "The neuron's output y over the (x₁, x₂) plane",
    "activations.neuron.plane_caption": (
        "Colour is the output y for every input point; the dot is your (x₁, x₂). "
        "The dashed line is where z = 0. The weights turn and steepen that line "
        "(the output changes fastest along the direction (w₁, w₂)); the bias slides it."
    ),
    "activations.neuron.point": "your input",
    "activations.neuron.boundary": "z = 0",
    "activations.functions.header": "2. Activation functions",
    "activations.functions.intro": (
        "Without an activation function, layers of neurons collapse into a single linear map: "
        "the activation is what lets a network bend. The tutorial names sigmoid, ReLU and tanh; "
        "the others are in wide use today."
    ),
    "activations.functions.pick": "Function",
    "activations.functions.show_derivative": "Show the derivative f′(x)",
    "activations.functions.x": "x",
    "activations.functions.fx": "f(x)",
    "activations.functions.dfx": "f′(x)",
    "activations.functions.flat": "flat: f′ < 0.05",
    "activations.functions.dead": "dead: f′ = 0",
    "activations.functions.flat_note": (
        "Shaded: where the derivative is nearly zero. A neuron whose input sits there barely "
        "learns, because backpropagation multiplies by f′."
    ),
    "activations.functions.dead_note": (
        "Shaded: ReLU's dead region. For x < 0 the output is 0 and so is the derivative; "
        "a neuron stuck there gets no gradient at all."
    ),
    "activations.functions.none_flat": "No flat region in this range: the gradient always gets through.",
    "activations.name.sigmoid": "Sigmoid",
    "activations.name.relu": "ReLU",
    "activations.name.tanh": "Tanh",
    "activations.name.leaky_relu": "Leaky ReLU (slope 0.2)",
    "activations.name.elu": "ELU",
    "activations.name.gelu": "GELU",
    "activations.name.softplus": "Softplus",
    "activations.name.silu": "SiLU (swish)",
    "activations.tutorial.header": "3. The tutorial's example",
    "activations.tutorial.intro": "The code of §1.2, and exactly what it prints:",
    "activations.tutorial.output": "Output",
    "activations.softmax.header": "4. Softmax: scores into probabilities",
    "activations.softmax.intro": (
        "The last layer of a classifier gives one score (logit) per class; softmax turns them into "
        "probabilities that sum to 1: $p_i = e^{{z_i / T}} / \\sum_j e^{{z_j / T}}$. "
        "The temperature T sharpens (T < 1) or flattens (T > 1) the result."
    ),
    "activations.softmax.logits": "Logits, separated by commas",
    "activations.softmax.bad_logits": "“{value}” is not a list of numbers between -50 and 50 (at most 64); showing the default logits.",
    "activations.softmax.temperature": "Temperature T",
    "activations.softmax.class": "class {i}",
    "activations.softmax.probability": "probability",
    "activations.softmax.sum": "The probabilities add up to {total:.6f}. The largest is class {best} with {p:.1%}.",
    "activations.chain.header": "5. Why deep sigmoid networks stopped learning",
    "activations.chain.intro": (
        "Backpropagation multiplies one derivative per layer. Stack n layers and the gradient that "
        "reaches the first layer is a product of n factors $w \\cdot f'(z_i)$. The sigmoid's derivative "
        "is at most 0.25, so the product shrinks fast; ReLU's is exactly 1 for positive inputs. "
        "This is the vanishing gradient, and why ReLU made deep networks trainable."
    ),
    "activations.chain.depth": "Layers n",
    "activations.chain.x0": "Input a₀",
    "activations.chain.weight": "Weight w in every layer",
    "activations.chain.axis_layer": "layer k",
    "activations.chain.axis_gradient": "gradient size |∂aₖ/∂a₀| (log scale)",
    "activations.chain.after": "After {depth} layers the gradient is multiplied by: sigmoid {sigmoid:.2e}, tanh {tanh:.2e}, ReLU {relu:.2e}.",
    "activations.chain.zero": "A ReLU layer whose input is negative passes no gradient at all (0): the product is 0 from there on.",
    # Lesson 2: backpropagation on XOR
    "xor.title": "Backpropagation, step by step, on XOR",
    "xor.intro": (
        "XOR is 1 when exactly one input is 1. The tutorial (§2.2) trains a network on it with "
        "backpropagation: a forward pass, the error, the chain rule backwards, and a small step "
        "down the gradient. Step through it and watch every number."
    ),
    "xor.model": "Model",
    "xor.model.tutorial": "Tutorial: one neuron",
    "xor.model.mlp": "With a hidden layer: 2 → H → 1",
    "xor.hidden": "Hidden neurons H",
    "xor.activation": "Hidden activation",
    "xor.loss": "Loss",
    "xor.loss.mse": "Mean squared error",
    "xor.loss.bce": "Binary cross-entropy",
    "xor.init": "Initialisation",
    "xor.init.uniform": "Uniform −0.5…0.5 (the tutorial's)",
    "xor.init.xavier": "Glorot / Xavier uniform",
    "xor.init.he": "He uniform",
    "xor.lr": "Learning rate η",
    "xor.seed": "Random seed",
    "xor.epochs": "Run to epoch N",
    "xor.tutorial.why": (
        "**Why the tutorial's network fails.** It has one neuron and no hidden layer, so it can only "
        "draw one straight line across the input square and put 1 on one side. XOR's two 1s sit on "
        "opposite corners, [0,1] and [1,0], with the 0s on the other two: no single line separates "
        "them. Gradient descent does the best a line can: it pushes the weights and bias to 0, so "
        "every prediction becomes 0.5. Run it to 10,000 epochs and compare with what the tutorial's code "
        "prints. Then switch to **With a hidden layer**: two or more neurons draw two lines, and XOR is solved."
    ),
    "xor.tutorial.prints": "What the tutorial's code prints after {epoch:,} epochs (the same numbers, bit for bit):",
    "xor.play": "▶ Play",
    "xor.pause": "⏸ Pause",
    "xor.step": "+{n}",
    "xor.run_to": "⏭ Run to {n:,}",
    "xor.reset": "↺ Reset",
    "xor.speed": "Epochs per frame",
    "xor.speed_option": "{n} epochs / frame",
    "xor.diverged": (
        "Training stopped: at epoch {epoch:,}, {quantity} became {value} (not a finite number). "
        "The learning rate is too large. The page shows the last finite state (epoch {last:,}). "
        "Lower the learning rate, or press Reset."
    ),
    "xor.saturated": (
        "The output neuron is saturated: its weighted sum is so large that σ′(z) ≈ 0, so almost no gradient flows "
        "back and learning has stopped. With learning rate {lr:g} the steps overshoot and push the neuron there. "
        "(Here a too-large learning rate does not overflow to infinity; it freezes the network.) "
        "Press Reset and try a smaller learning rate."
    ),
    "xor.epoch": "Epoch",
    "xor.loss_now": "Loss",
    "xor.predictions": "Predictions for [0,0] [0,1] [1,0] [1,1]",
    "xor.solved": "XOR solved?",
    "xor.solved_help": "Solved when all four predictions are within 0.1 of their targets.",
    "xor.yes": "yes ✓",
    "xor.no": "not yet",
    "xor.chart.network": "The network (blue: positive weight, orange: negative; width: size)",
    "xor.chart.boundary": "Output over the input square, with the four XOR points",
    "xor.chart.loss": "Loss",
    "xor.chart.weights": "Every weight and bias over time",
    "xor.chart.hidden": "Each hidden neuron's output over the input square",
    "xor.ledger.header": "The backprop ledger",
    "xor.ledger.intro": (
        "Every number the next step computes, with the current weights. Forward: each neuron's "
        "weighted sum z and activation. Backward: the error, then each neuron's δ = ∂L/∂z by the chain "
        "rule, then each gradient, summed over the four inputs, and the change η·gradient the step makes."
    ),
    "xor.ledger.while_playing": "The ledger and the gradient check wait while the network trains: press Pause, or step, to read every number.",
    "xor.ledger.sample": "Follow one input",
    "xor.ledger.forward": "Forward",
    "xor.ledger.backward": "Backward",
    "xor.ledger.all_inputs": "All four inputs: weighted sums z, activations and deltas δ",
    "xor.ledger.gradients": "Gradients over all four inputs, and the change the next step makes (η = {lr:g})",
    "xor.ledger.parameter": "parameter",
    "xor.ledger.value": "now",
    "xor.ledger.next": "after the step",
    "xor.check.header": "Gradient check",
    "xor.check.intro": (
        "Is the hand-written backpropagation right? Nudge each parameter by ±10⁻⁶, measure how the loss "
        "changes (a finite difference) and compare with the gradient backpropagation computed."
    ),
    "xor.check.analytic": "backpropagation",
    "xor.check.numeric": "finite difference",
    "xor.check.relative": "relative error",
    "xor.check.verdict": "Largest relative error at epoch {epoch:,}: {worst:.1e}. Below about 1e-6 means they agree.",
    # Lesson 3a: draw a digit
    "digits.title": "Draw a digit, watch the CNN read it",
    "digits.intro": (
        "The tutorial (§3.1) trains a convolutional network on MNIST, 70,000 handwritten digits. "
        "Draw one yourself with the mouse, a pen or a finger: the network reads it as you draw."
    ),
    "digits.model": "Model",
    "digits.model.ours": "Ours, augmented · 99.6%",
    "digits.model.tutorial": "The tutorial's · 98.5%",
    "digits.model.help": "Accuracy on the 10,000 MNIST test digits. Ours also learned from drawings varied at random (thicker, thinner, moved, turned), so it reads hand drawings better.",
    "digits.step.crop": "Crop to the ink",
    "digits.step.fit": "Scale to 20 px",
    "digits.step.centre": "Centre of mass",
    "digits.inside": "Inside the network",
    "digits.pad.undo": "Undo",
    "digits.pad.clear": "Clear",
    "digits.pad.canvas": "Canvas: draw one digit, large",
    "digits.drawing.garbled": "The drawing arrived garbled and was not read. Press Clear and draw again.",
    "digits.drawing.too_much": "That is too much drawing for one digit. Press Clear and draw one digit.",
    "digits.prediction": "Prediction",
    "digits.sure": "{p:.0%} sure",
    "digits.digit": "digit",
    "digits.probability": "probability",
    "digits.empty": "Draw a digit on the black square.",
    "digits.reason.empty": "Nothing drawn yet.",
    "digits.reason.blob": "That looks like a dot or a filled shape, not a digit. Clear the canvas and draw a digit.",
    "digits.reason.unsure": "Not sure this is a digit: the best guess is {guess}, at only {p:.0%}. Try drawing it larger and clearer.",
    "digits.steps.header": "From your drawing to the network's input",
    "digits.steps.intro": (
        "MNIST digits were made this way: cropped to the ink, scaled so the longer side is 20 pixels, and placed in "
        "28 × 28 with the centre of mass in the middle. Switch steps off above and watch the prediction change: "
        "a plain resize of the canvas reads only about two thirds of hand-drawn digits right."
    ),
    "digits.steps.raw": "your drawing",
    "digits.steps.cropped": "cropped",
    "digits.steps.scaled": "scaled",
    "digits.steps.placed": "placed in 28 × 28",
    "digits.steps.final": "centred: the input",
    "digits.compare": "Real MNIST test digits the network calls {digit}:",
    "digits.inside.header": "Inside the network",
    "digits.inside.filters": "The first layer's 32 filters (3 × 3 each; light = positive weight): each one looks for a small pattern, an edge or a corner.",
    "digits.inside.maps": "{layer}: {shape}, what each filter found in your drawing (light = strong)",
    "digits.inside.dense": "{layer}: {units} neurons, {active} of them active (above 0) for your drawing",
    "digits.inside.saliency": "Saliency: the pixels that most change the score of {digit} (red) — the network's evidence.",
    # Lesson 4: read a sentence with an RNN
    "text.title": "Type a sentence, watch the RNN read it",
    "text.intro": (
        "A recurrent network (tutorial §3.2) reads a sentence one word at a time and carries a memory, "
        "its hidden state, from word to word. Type a sentence in English or Chinese and watch the memory change "
        "and the sentiment it would give after each word: try “good” against “not good”."
    ),
    "text.input": "Your sentence",
    "text.placeholder": "e.g. The story is slow, but the acting is wonderful.",
    "text.example": "The hotel was not good at all, but the staff were wonderful.",
    "text.examples": "Try: “not good” · “not bad at all” · “这家酒店很干净” · “房间不大，但是很干净”",
    "text.lang": "Language",
    "text.lang.auto": "Detect",
    "text.lang.en": "English",
    "text.lang.zh": "中文",
    "text.cell": "Recurrent cell",
    "text.cell.best": "Best",
    "text.cell.simplernn": "SimpleRNN",
    "text.cell.lstm": "LSTM",
    "text.cell.gru": "GRU",
    "text.sentiment": "Sentiment",
    "text.label.positive": "positive",
    "text.label.negative": "negative",
    "text.metric_help": "How sure the model is of that label. Below, P(positive) after every token.",
    "text.read_by": "Read by the {language} {cell} model: P(positive) = {p:.3f}.",
    "text.empty": "Type a sentence above: the model reads it as you type.",
    "text.no_tokens": "There is nothing to read in that text: no words or characters the model knows how to split.",
    "text.note.all_oov": "None of these words are in the model's vocabulary, so it can only guess.",
    "text.note.truncated": "The text is long: the model reads only its first tokens (shown below).",
    "text.note.mixed": "Chinese text with Latin words: the Chinese model reads each Latin word as one token, mostly unknown to it.",
    "text.memory.header": "The memory at work",
    "text.memory.intro": (
        "After each token, the sentiment the model would give if the sentence stopped there. "
        "Below it, the hidden state: one column per token, one row per memory unit (red positive, blue negative)."
    ),
    "text.memory.positive": "P(positive) so far",
    "text.hidden.title": "Hidden state after each token",
    "text.hidden.axis": "memory unit",
    "text.tokens.header": "What the model sees",
    "text.tokens.intro": "Words for English, characters for Chinese, each turned into an id from the vocabulary; unknown ones (OOV) all share one id.",
    "text.tokens.token": "token",
    "text.tokens.oov": "unknown (OOV)",
    "text.tokens.after": "P(positive) after it",
    "text.sequence": "The padded sequence the model is given ({maxlen} ids; zeros in front are padding):",
    "text.compare.header": "Three cells, one sentence",
    "text.compare.caption": (
        "SimpleRNN is the tutorial's cell; LSTM and GRU add gates that decide what to keep and what to forget, "
        "which helps them carry “not” across several words."
    ),
    "text.tutorial.header": "The tutorial's own example: two sentences",
    "text.tutorial.intro": (
        "The tutorial trains `Embedding(1000, 32)` → `SimpleRNN(32)` → `Dense(1, sigmoid)` on two sentences, "
        "`maxlen=5`, 5 epochs, batch 2. Edit or add sentences, train, and compare how it does on the sentences it "
        "learned and on new ones."
    ),
    "text.tutorial.sentence": "sentence",
    "text.tutorial.label": "label (1 positive, 0 negative)",
    "text.tutorial.new": "New sentences to try it on, one per line",
    "text.tutorial.epochs": "Epochs",
    "text.tutorial.seed": "Seed",
    "text.tutorial.train": "Train",
    "text.tutorial.training": "Training… (the first time also loads TensorFlow)",
    "text.tutorial.no_pairs": "Add at least one sentence with a label 0 or 1.",
    "text.tutorial.accuracy": "Accuracy on its own training sentences",
    "text.tutorial.epoch": "epoch",
    "text.tutorial.kind": "seen in training?",
    "text.tutorial.seen": "yes",
    "text.tutorial.unseen": "no, new",
    "text.tutorial.output": "output (above 0.5 = positive)",
    "text.tutorial.overfitting": (
        "This is overfitting. With two sentences the model can memorise them, and reach accuracy 1.0, "
        "without learning anything about sentiment: new sentences get outputs that say nothing. "
        "A useful model needs many examples (the models above learned from tens of thousands)."
    ),
    # lesson 3b: /digits-training
    "digits_training.title": "Train the CNN yourself",
    "digits_training.intro": (
        "The tutorial's §3.1 ends with one line, `model.fit(x_train, y_train, epochs=5, batch_size=32, ...)`, "
        "and the network learns to read digits. Here you press Train and watch that line happen: "
        "the loss falls and the accuracy climbs, batch by batch. Then see which digits it still gets wrong, "
        "and take your model to the drawing page."
    ),
    "digits_training.data": "1 · Data",
    "digits_training.data.source": "Training data (MNIST: 60,000 + 10,000 test images)",
    "digits_training.data.sample": "Built in",
    "digits_training.data.upload": "My .npz",
    "digits_training.data.upload_label": "Your data (.npz)",
    "digits_training.data.upload_help": "An .npz file in the keras.datasets.mnist layout: x_train (n, 28, 28) uint8, y_train (n,) digits 0–9, x_test, y_test likewise.",
    "digits_training.data.uploaded": "{name}: {n:,} training and {m:,} test images.",
    "digits_training.data.upload_first": "Upload an .npz file first, or choose the built-in MNIST.",
    "digits_training.images": "Training images",
    "digits_training.images_help": "How many of the training images to learn from. More takes longer and usually reads better. The tutorial uses all 60,000.",
    "digits_training.images_all": "This data set has {n} training images: all of them are used.",
    "digits_training.model": "2 · Model",
    "digits_training.arch": "Network",
    "digits_training.arch.tutorial": "The tutorial's",
    "digits_training.arch.custom": "Shape my own",
    "digits_training.conv": "Convolution blocks",
    "digits_training.conv_help": "Each block is a convolution (ReLU) and a 2 × 2 max pooling; each block has twice the filters of the one before.",
    "digits_training.filters": "Filters",
    "digits_training.kernel": "Kernel",
    "digits_training.dense": "Dense units",
    "digits_training.dropout": "Dropout",
    "digits_training.dropout_help": "While training, switch off this share of the features at random, so the network cannot lean on any one of them.",
    "digits_training.layers": "Layers: {n} weights",
    "digits_training.layer": "layer",
    "digits_training.output": "output",
    "digits_training.params": "weights",
    "digits_training.fit": "3 · model.fit",
    "digits_training.epochs": "Epochs",
    "digits_training.batch": "Batch size",
    "digits_training.optimizer": "Optimizer",
    "digits_training.optimizer.adam": "Adam",
    "digits_training.optimizer.sgd": "SGD",
    "digits_training.optimizer.rmsprop": "RMSprop",
    "digits_training.lr": "Learning rate",
    "digits_training.lr_help": "Adam's usual value is 0.001. Try 1 or 100 to see training fail.",
    "digits_training.train": "Train",
    "digits_training.stop": "Stop",
    "digits_training.cancel": "Leave the line",
    "digits_training.bad_setting": "This setting cannot train: {key} = {value}.",
    "digits_training.queue.full": "Too many people are waiting to train right now. Try again in a minute.",
    "digits_training.queue.place": "Waiting in line: you are number {place}. {running} training now, {waiting} waiting.",
    "digits_training.watch": "Watch it learn",
    "digits_training.none_yet": "Choose your settings and press Train. The curves appear here as the network learns.",
    "digits_training.phase.starting": "Starting: building the network…",
    "digits_training.phase.evaluating": "Testing the network on 10,000 images it has never seen…",
    "digits_training.progress": "Epoch {epoch}/{epochs} · {seen}/{total} images · {rate} images/s{left}",
    "digits_training.left": " · {s} s left",
    "digits_training.stopping": "Stopping after this batch…",
    "digits_training.curve.train": "training (average so far this epoch)",
    "digits_training.curve.val": "validation (300 test images)",
    "digits_training.chart.loss": "Loss (lower is better)",
    "digits_training.chart.accuracy": "Accuracy",
    "digits_training.epoch": "epoch",
    "digits_training.results": "What it learned",
    "digits_training.stopped": "You stopped it after {seen} images. The model is kept as it was at that moment.",
    "digits_training.diverged": "Training blew up: the loss became NaN (not a number) with learning rate {lr:g}. The steps were too large. Choose a smaller learning rate and train again.",
    "digits_training.failed": "Training failed. Try other settings.",
    "digits_training.dropped": "This run was dropped from the line because the page was not open.",
    "digits_training.learned_nothing": "It learned nothing: 10% is guessing. With learning rate {lr:g} the steps are so large that the network jumped to a place where its gradients vanish. Try 0.001.",
    "digits_training.test_accuracy": "Test accuracy",
    "digits_training.test_help": "On the {n} official MNIST test images, which the network never trained on.",
    "digits_training.mistakes": "Test images it got wrong",
    "digits_training.time": "Training time",
    "digits_training.confusion": "Which digits it confuses",
    "digits_training.confusion.hover": "a %{y} read as %{x}: %{text} times",
    "digits_training.confusion_help": "Row: the true digit. Column: what the network said. The diagonal (right answers) is left blank so the mistakes stand out.",
    "digits_training.guess": "the network says",
    "digits_training.truth": "true digit",
    "digits_training.gallery": "Its most confident mistakes",
    "digits_training.gallery_help": "Some are hard even for people; some are plain errors.",
    "digits_training.gallery.item": "{truth} → {guess} ({p:.0%})",
    "digits_training.mine": "Your model",
    "digits_training.mine.trained": "trained here, {accuracy:.1%} on the test set",
    "digits_training.mine.uploaded": "uploaded from {name}, {accuracy:.1%} on the test set",
    "digits_training.mine.none": "Train a model, or upload a .keras file, and it becomes yours: only you see it.",
    "digits_training.mine.now": "Your model: **{name}**. Only you can see it.",
    "digits_training.mine.try": "Draw digits for it on the drawing page",
    "digits_training.mine.download": "Download (.keras)",
    "digits_training.mine.upload": "Upload a model (.keras)",
    "digits_training.mine.upload_help": "A Keras 3 .keras file, at most {mb} MB, that takes 28 × 28 images and gives 10 probabilities. It is loaded in safe mode: no code inside it runs.",
    "digits_training.upload.too_big": "That file is too large ({detail}).",
    "digits_training.upload.not_npz": "That is not an .npz file. Save your arrays with numpy.savez.",
    "digits_training.upload.keys": "The file lacks arrays: {detail}. It needs x_train, y_train, x_test and y_test.",
    "digits_training.upload.shape": "The arrays have the wrong shape: {detail}.",
    "digits_training.upload.dtype": "The arrays have the wrong type: {detail}.",
    "digits_training.upload.labels": "The labels must be digits 0 to 9: {detail}.",
    "digits_training.upload.not_keras": "That is not a .keras model file.",
    "digits_training.upload.unreadable": "Keras could not load this model safely ({detail}).",
    "digits_training.upload.input_shape": "This model does not take 28 × 28 images: its input is {detail}.",
    "digits_training.upload.output_shape": "This model does not give 10 digit probabilities: its output is {detail}.",
    "digits_training.upload.bomb": "This file asks for far more than a digit reader needs, so it was not opened ({detail}).",
    "digits_training.upload.not_finite": "This model holds numbers that are not finite (NaN or infinity): {detail}.",
    # /digits: your own model, and teaching it
    "digits.mine.use": "Use my model ({name})",
    "digits.mine.help": "The model you trained, taught or uploaded. Only you see it; everyone else gets the shipped models.",
    "digits.mine.taught": "taught {n} drawings, {accuracy:.1%} on the test set",
    "digits.teach.title": "Wrong? Teach the model",
    "digits.teach.intro": "Say which digit you meant and keep the drawing. With a few kept (five is a good start), teach the model: a copy learns your drawings, shifted and turned a little, mixed with 2,000 MNIST digits so it does not forget the rest.",
    "digits.teach.label": "It is not a {guess}, it is a:",
    "digits.teach.keep": "Keep this drawing",
    "digits.teach.go": "Teach the model ({n} drawings)",
    "digits.teach.forget": "Forget them",
    "digits.teach.working": "Teaching a copy of the model with your {n} drawings…",
    "digits.teach.busy": "The training line is busy; try again in a minute.",
    "digits.teach.result": "Taught in {s} s. Your drawings, as you labelled them: what the model said before → after.",
    "digits.teach.accuracy": "MNIST test accuracy after teaching",
    "digits.teach.accuracy_help": "Before teaching: {before:.2%}. Teaching should not make it forget the digits it knew.",
}
