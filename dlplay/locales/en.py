"""English text. Keys are grouped by page; {names} are filled in by the page."""

TEXT = {
    # The app around the pages
    "app.name": "dlplay",
    "app.tagline": "A deep-learning playground",
    "app.language": "Language",
    "app.nav.start": "Start",
    "app.nav.lessons": "Lessons",
    "app.notice.ignored": "Some settings in this link were not understood and were reset to their defaults: {items}",
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
    "home.coming": "coming soon",
    "home.howto": (
        "Tip: change the language in the sidebar, or add `?lang=zh` / `?lang=en` to a link. "
        "Every slider you move is written into the address bar: copy it to share the view."
    ),

    # Lesson 1: neurons and activation functions
    "act.title": "Neurons and activation functions",
    "act.intro": (
        "A neural network is built from neurons (tutorial §1.1). Each one weighs its inputs, "
        "adds a bias and passes the sum through an activation function: "
        "$y = f(w_1 x_1 + w_2 x_2 + b)$. Move the sliders and watch what each part does."
    ),
    "act.neuron.header": "1. One neuron",
    "act.neuron.inputs": "Inputs",
    "act.neuron.weights": "Weights and bias",
    "act.neuron.activation": "Activation function f",
    "act.neuron.z": "Weighted sum z",
    "act.neuron.y": "Output y = f(z)",
    "act.neuron.plane": "The neuron's output y over the (x₁, x₂) plane",
    "act.neuron.plane_caption": (
        "Colour is the output y for every input point; the dot is your (x₁, x₂). "
        "The dashed line is where z = 0. The weights turn and steepen that line "
        "(the output changes fastest along the direction (w₁, w₂)); the bias slides it."
    ),
    "act.neuron.point": "your input",
    "act.neuron.boundary": "z = 0",
    "act.functions.header": "2. Activation functions",
    "act.functions.intro": (
        "Without an activation function, layers of neurons collapse into a single linear map: "
        "the activation is what lets a network bend. The tutorial names sigmoid, ReLU and tanh; "
        "the others are in wide use today."
    ),
    "act.functions.pick": "Function",
    "act.functions.show_derivative": "Show the derivative f′(x)",
    "act.functions.x": "x",
    "act.functions.fx": "f(x)",
    "act.functions.dfx": "f′(x)",
    "act.functions.flat": "flat: f′ < 0.05",
    "act.functions.dead": "dead: f′ = 0",
    "act.functions.flat_note": (
        "Shaded: where the derivative is nearly zero. A neuron whose input sits there barely "
        "learns, because backpropagation multiplies by f′."
    ),
    "act.functions.dead_note": (
        "Shaded: ReLU's dead region. For x < 0 the output is 0 and so is the derivative; "
        "a neuron stuck there gets no gradient at all."
    ),
    "act.functions.none_flat": "No flat region in this range: the gradient always gets through.",
    "act.name.sigmoid": "Sigmoid",
    "act.name.relu": "ReLU",
    "act.name.tanh": "Tanh",
    "act.name.leaky_relu": "Leaky ReLU (slope 0.2)",
    "act.name.elu": "ELU",
    "act.name.gelu": "GELU",
    "act.name.softplus": "Softplus",
    "act.name.silu": "SiLU (swish)",
    "act.tutorial.header": "3. The tutorial's example",
    "act.tutorial.intro": "The code of §1.2, and exactly what it prints:",
    "act.tutorial.output": "Output",
    "act.softmax.header": "4. Softmax: scores into probabilities",
    "act.softmax.intro": (
        "The last layer of a classifier gives one score (logit) per class; softmax turns them into "
        "probabilities that sum to 1: $p_i = e^{{z_i / T}} / \\sum_j e^{{z_j / T}}$. "
        "The temperature T sharpens (T < 1) or flattens (T > 1) the result."
    ),
    "act.softmax.logits": "Logits, separated by commas",
    "act.softmax.bad_logits": "“{value}” is not a list of numbers between -50 and 50 (at most 64); showing the default logits.",
    "act.softmax.temperature": "Temperature T",
    "act.softmax.class": "class {i}",
    "act.softmax.probability": "probability",
    "act.softmax.sum": "The probabilities add up to {total:.6f}. The largest is class {best} with {p:.1%}.",
    "act.chain.header": "5. Why deep sigmoid networks stopped learning",
    "act.chain.intro": (
        "Backpropagation multiplies one derivative per layer. Stack n layers and the gradient that "
        "reaches the first layer is a product of n factors $w \\cdot f'(z_i)$. The sigmoid's derivative "
        "is at most 0.25, so the product shrinks fast; ReLU's is exactly 1 for positive inputs. "
        "This is the vanishing gradient, and why ReLU made deep networks trainable."
    ),
    "act.chain.depth": "Layers n",
    "act.chain.x0": "Input a₀",
    "act.chain.weight": "Weight w in every layer",
    "act.chain.axis_layer": "layer k",
    "act.chain.axis_gradient": "gradient size |∂aₖ/∂a₀| (log scale)",
    "act.chain.after": "After {depth} layers the gradient is multiplied by: sigmoid {sigmoid:.2e}, tanh {tanh:.2e}, ReLU {relu:.2e}.",
    "act.chain.zero": "A ReLU layer whose input is negative passes no gradient at all (0): the product is 0 from there on.",
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
    "dig.title": "Draw a digit, watch the CNN read it",
    "dig.intro": (
        "The tutorial (§3.1) trains a convolutional network on MNIST, 70,000 handwritten digits. "
        "Draw one yourself with the mouse, a pen or a finger: the network reads it when you lift the pen. "
        "Below, see how your drawing is turned into the 28 × 28 picture the network expects, and what the network sees."
    ),
    "dig.model": "Model",
    "dig.model.ours": "Ours: trained with augmentation (99.6% on MNIST)",
    "dig.model.tutorial": "The tutorial's (98.5% on MNIST)",
    "dig.step.crop": "Crop to the ink",
    "dig.step.fit": "Scale to 20 px",
    "dig.step.centre": "Centre of mass",
    "dig.inside": "Inside the network",
    "dig.canvas_help": "Draw one digit, large. The toolbar under the canvas has undo and clear.",
    "dig.prediction": "Prediction",
    "dig.sure": "{p:.0%} sure",
    "dig.digit": "digit",
    "dig.probability": "probability",
    "dig.empty": "Draw a digit on the black square.",
    "dig.reason.empty": "Nothing drawn yet.",
    "dig.reason.blob": "That looks like a dot or a filled shape, not a digit. Clear the canvas and draw a digit.",
    "dig.reason.unsure": "Not sure this is a digit: the best guess is {guess}, at only {p:.0%}. Try drawing it larger and clearer.",
    "dig.steps.header": "From your drawing to the network's input",
    "dig.steps.intro": (
        "MNIST digits were made this way: cropped to the ink, scaled so the longer side is 20 pixels, and placed in "
        "28 × 28 with the centre of mass in the middle. Switch steps off above and watch the prediction change: "
        "a plain resize of the canvas reads only about two thirds of hand-drawn digits right."
    ),
    "dig.steps.raw": "your drawing",
    "dig.steps.cropped": "cropped",
    "dig.steps.scaled": "scaled",
    "dig.steps.placed": "placed in 28 × 28",
    "dig.steps.final": "centred: the input",
    "dig.compare": "Real MNIST test digits the network calls {digit}:",
    "dig.inside.header": "Inside the network",
    "dig.inside.filters": "The first layer's 32 filters (3 × 3 each; light = positive weight): each one looks for a small pattern, an edge or a corner.",
    "dig.inside.maps": "{layer}: {shape}, what each filter found in your drawing (light = strong)",
    "dig.inside.dense": "{layer}: {units} neurons, {active} of them active (above 0) for your drawing",
    "dig.inside.saliency": "Saliency: the pixels that most change the score of {digit} (red) — the network's evidence.",
    # Lesson 4: read a sentence with an RNN
    "txt.title": "Type a sentence, watch the RNN read it",
    "txt.intro": (
        "A recurrent network (tutorial §3.2) reads a sentence one word at a time and carries a memory, "
        "its hidden state, from word to word. Type a sentence in English or Chinese and watch the memory change "
        "and the sentiment it would give after each word: try “good” against “not good”."
    ),
    "txt.input": "Your sentence (press Enter)",
    "txt.placeholder": "e.g. The story is slow, but the acting is wonderful.",
    "txt.example": "The hotel was not good at all, but the staff were wonderful.",
    "txt.examples": "Try: “not good” · “not bad at all” · “这家酒店很干净” · “房间不大，但是很干净”",
    "txt.lang": "Language",
    "txt.lang.auto": "Detect",
    "txt.lang.en": "English",
    "txt.lang.zh": "中文",
    "txt.cell": "Recurrent cell",
    "txt.cell.best": "Best",
    "txt.cell.simplernn": "SimpleRNN",
    "txt.cell.lstm": "LSTM",
    "txt.cell.gru": "GRU",
    "txt.sentiment": "Sentiment",
    "txt.label.positive": "positive",
    "txt.label.negative": "negative",
    "txt.metric_help": "How sure the model is of that label. Below, P(positive) after every token.",
    "txt.read_by": "Read by the {language} {cell} model: P(positive) = {p:.3f}.",
    "txt.empty": "Type a sentence above and press Enter.",
    "txt.no_tokens": "There is nothing to read in that text: no words or characters the model knows how to split.",
    "txt.note.all_oov": "None of these words are in the model's vocabulary, so it can only guess.",
    "txt.note.truncated": "The text is long: the model reads only its first tokens (shown below).",
    "txt.note.mixed": "Chinese text with Latin words: the Chinese model reads each Latin word as one token, mostly unknown to it.",
    "txt.memory.header": "The memory at work",
    "txt.memory.intro": (
        "After each token, the sentiment the model would give if the sentence stopped there. "
        "Below it, the hidden state: one column per token, one row per memory unit (red positive, blue negative)."
    ),
    "txt.memory.positive": "P(positive) so far",
    "txt.hidden.title": "Hidden state after each token",
    "txt.hidden.axis": "memory unit",
    "txt.tokens.header": "What the model sees",
    "txt.tokens.intro": "Words for English, characters for Chinese, each turned into an id from the vocabulary; unknown ones (OOV) all share one id.",
    "txt.tokens.token": "token",
    "txt.tokens.oov": "unknown (OOV)",
    "txt.tokens.after": "P(positive) after it",
    "txt.sequence": "The padded sequence the model is given ({maxlen} ids; zeros in front are padding):",
    "txt.compare.header": "Three cells, one sentence",
    "txt.compare.caption": (
        "SimpleRNN is the tutorial's cell; LSTM and GRU add gates that decide what to keep and what to forget, "
        "which helps them carry “not” across several words."
    ),
    "txt.tutorial.header": "The tutorial's own example: two sentences",
    "txt.tutorial.intro": (
        "The tutorial trains `Embedding(1000, 32)` → `SimpleRNN(32)` → `Dense(1, sigmoid)` on two sentences, "
        "`maxlen=5`, 5 epochs, batch 2. Edit or add sentences, train, and compare how it does on the sentences it "
        "learned and on new ones."
    ),
    "txt.tutorial.sentence": "sentence",
    "txt.tutorial.label": "label (1 positive, 0 negative)",
    "txt.tutorial.new": "New sentences to try it on, one per line",
    "txt.tutorial.epochs": "Epochs",
    "txt.tutorial.seed": "Seed",
    "txt.tutorial.train": "Train",
    "txt.tutorial.training": "Training… (the first time also loads TensorFlow)",
    "txt.tutorial.no_pairs": "Add at least one sentence with a label 0 or 1.",
    "txt.tutorial.accuracy": "Accuracy on its own training sentences",
    "txt.tutorial.epoch": "epoch",
    "txt.tutorial.kind": "seen in training?",
    "txt.tutorial.seen": "yes",
    "txt.tutorial.unseen": "no, new",
    "txt.tutorial.output": "output (above 0.5 = positive)",
    "txt.tutorial.overfitting": (
        "This is overfitting. With two sentences the model can memorise them, and reach accuracy 1.0, "
        "without learning anything about sentiment: new sentences get outputs that say nothing. "
        "A useful model needs many examples (the models above learned from tens of thousands)."
    ),
    # lesson 3b: /digits-training
    "trn.title": "Train the CNN yourself",
    "trn.intro": (
        "The tutorial's §3.1 ends with one line, `model.fit(x_train, y_train, epochs=5, batch_size=32, ...)`, "
        "and the network learns to read digits. Here you press Train and watch that line happen: "
        "the loss falls and the accuracy climbs, batch by batch. Then see which digits it still gets wrong, "
        "and take your model to the drawing page."
    ),
    "trn.data": "1 · Data",
    "trn.data.source": "Training data (MNIST: 60,000 + 10,000 test images)",
    "trn.data.sample": "Built in",
    "trn.data.mnist": "Download",
    "trn.data.upload": "My .npz",
    "trn.data.upload_label": "Your data (.npz)",
    "trn.data.upload_help": "An .npz file in the keras.datasets.mnist layout: x_train (n, 28, 28) uint8, y_train (n,) digits 0–9, x_test, y_test likewise.",
    "trn.data.uploaded": "{name}: {n:,} training and {m:,} test images.",
    "trn.data.offline": "Could not download MNIST: this computer seems to be offline. The built-in MNIST is the same 70,000 images.",
    "trn.data.upload_first": "Upload an .npz file first, or choose the built-in MNIST.",
    "trn.images": "Training images",
    "trn.images_help": "How many of the training images to learn from. More takes longer and usually reads better. The tutorial uses all 60,000.",
    "trn.images_all": "This data set has {n} training images: all of them are used.",
    "trn.model": "2 · Model",
    "trn.arch": "Network",
    "trn.arch.tutorial": "The tutorial's",
    "trn.arch.custom": "Shape my own",
    "trn.conv": "Convolution blocks",
    "trn.conv_help": "Each block is a convolution (ReLU) and a 2 × 2 max pooling; each block has twice the filters of the one before.",
    "trn.filters": "Filters",
    "trn.kernel": "Kernel",
    "trn.dense": "Dense units",
    "trn.dropout": "Dropout",
    "trn.dropout_help": "While training, switch off this share of the features at random, so the network cannot lean on any one of them.",
    "trn.layers": "Layers: {n} weights",
    "trn.layer": "layer",
    "trn.output": "output",
    "trn.params": "weights",
    "trn.fit": "3 · model.fit",
    "trn.epochs": "Epochs",
    "trn.batch": "Batch size",
    "trn.optimizer": "Optimizer",
    "trn.optimizer.adam": "Adam",
    "trn.optimizer.sgd": "SGD",
    "trn.optimizer.rmsprop": "RMSprop",
    "trn.lr": "Learning rate",
    "trn.lr_help": "Adam's usual value is 0.001. Try 1 or 100 to see training fail.",
    "trn.train": "Train",
    "trn.stop": "Stop",
    "trn.cancel": "Leave the line",
    "trn.bad_setting": "This setting cannot train: {key} = {value}.",
    "trn.queue.full": "Too many people are waiting to train right now. Try again in a minute.",
    "trn.queue.place": "Waiting in line: you are number {place}. {running} training now, {waiting} waiting.",
    "trn.watch": "Watch it learn",
    "trn.none_yet": "Choose your settings and press Train. The curves appear here as the network learns.",
    "trn.phase.starting": "Starting: building the network…",
    "trn.phase.evaluating": "Testing the network on 10,000 images it has never seen…",
    "trn.progress": "Epoch {epoch}/{epochs} · {seen}/{total} images · {rate} images/s{left}",
    "trn.left": " · {s} s left",
    "trn.stopping": "Stopping after this batch…",
    "trn.curve.train": "training (average so far this epoch)",
    "trn.curve.val": "validation (300 test images)",
    "trn.chart.loss": "Loss (lower is better)",
    "trn.chart.accuracy": "Accuracy",
    "trn.epoch": "epoch",
    "trn.results": "What it learned",
    "trn.stopped": "You stopped it after {seen} images. The model is kept as it was at that moment.",
    "trn.diverged": "Training blew up: the loss became NaN (not a number) with learning rate {lr:g}. The steps were too large. Choose a smaller learning rate and train again.",
    "trn.failed": "Training failed. Try other settings.",
    "trn.dropped": "This run was dropped from the line because the page was not open.",
    "trn.learned_nothing": "It learned nothing: 10% is guessing. With learning rate {lr:g} the steps are so large that the network jumped to a place where its gradients vanish. Try 0.001.",
    "trn.test_accuracy": "Test accuracy",
    "trn.test_help": "On the {n} official MNIST test images, which the network never trained on.",
    "trn.mistakes": "Test images it got wrong",
    "trn.time": "Training time",
    "trn.confusion": "Which digits it confuses",
    "trn.confusion.hover": "a %{y} read as %{x}: %{text} times",
    "trn.confusion_help": "Row: the true digit. Column: what the network said. The diagonal (right answers) is left blank so the mistakes stand out.",
    "trn.guess": "the network says",
    "trn.truth": "true digit",
    "trn.gallery": "Its most confident mistakes",
    "trn.gallery_help": "Some are hard even for people; some are plain errors.",
    "trn.gallery.item": "{truth} → {guess} ({p:.0%})",
    "trn.mine": "Your model",
    "trn.mine.trained": "trained here, {accuracy:.1%} on the test set",
    "trn.mine.uploaded": "uploaded from {name}, {accuracy:.1%} on the test set",
    "trn.mine.none": "Train a model, or upload a .keras file, and it becomes yours: only you see it.",
    "trn.mine.now": "Your model: **{name}**. Only you can see it.",
    "trn.mine.try": "Draw digits for it on the drawing page",
    "trn.mine.download": "Download (.keras)",
    "trn.mine.upload": "Upload a model (.keras)",
    "trn.mine.upload_help": "A Keras 3 .keras file, at most {mb} MB, that takes 28 × 28 images and gives 10 probabilities. It is loaded in safe mode: no code inside it runs.",
    "trn.upload.too_big": "That file is too large ({detail}).",
    "trn.upload.not_npz": "That is not an .npz file. Save your arrays with numpy.savez.",
    "trn.upload.keys": "The file lacks arrays: {detail}. It needs x_train, y_train, x_test and y_test.",
    "trn.upload.shape": "The arrays have the wrong shape: {detail}.",
    "trn.upload.dtype": "The arrays have the wrong type: {detail}.",
    "trn.upload.labels": "The labels must be digits 0 to 9: {detail}.",
    "trn.upload.not_keras": "That is not a .keras model file.",
    "trn.upload.unreadable": "Keras could not load this model safely ({detail}).",
    "trn.upload.input_shape": "This model does not take 28 × 28 images: its input is {detail}.",
    "trn.upload.output_shape": "This model does not give 10 digit probabilities: its output is {detail}.",
    # /digits: your own model, and teaching it
    "dig.mine.use": "Use my model ({name})",
    "dig.mine.help": "The model you trained, taught or uploaded. Only you see it; everyone else gets the shipped models.",
    "dig.mine.taught": "taught {n} drawings, {accuracy:.1%} on the test set",
    "dig.teach.title": "Wrong? Teach the model",
    "dig.teach.intro": "Say which digit you meant and keep the drawing. With a few kept (five is a good start), teach the model: a copy learns your drawings, shifted and turned a little, mixed with 2,000 MNIST digits so it does not forget the rest.",
    "dig.teach.label": "It is not a {guess}, it is a:",
    "dig.teach.keep": "Keep this drawing",
    "dig.teach.go": "Teach the model ({n} drawings)",
    "dig.teach.forget": "Forget them",
    "dig.teach.working": "Teaching a copy of the model with your {n} drawings…",
    "dig.teach.busy": "The training line is busy; try again in a minute.",
    "dig.teach.result": "Taught in {s} s. Your drawings, as you labelled them: what the model said before → after.",
    "dig.teach.accuracy": "MNIST test accuracy after teaching",
    "dig.teach.accuracy_help": "Before teaching: {before:.2%}. Teaching should not make it forget the digits it knew.",
}
