"""The activations page's code: the tutorial's own §1.2 example, and the code panel's script."""

from __future__ import annotations

import inspect

from dlplay import i18n
from dlplay.activations import functions
from dlplay.activations.state import CHAIN_ACTIVATIONS, DEFAULTS

# §1.2 as the tutorial writes it; it prints functions.tutorial_example().
TUTORIAL_CODE = '''import numpy as np

def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def relu(x):
    return np.maximum(0, x)

x = np.array([-2, -1, 0, 1, 2])
print("Sigmoid:", sigmoid(x))
print("ReLU:", relu(x))'''

# What each activation's code needs besides its own two functions.
_NEEDS = {
    "sigmoid": [], "relu": [], "tanh": [],
    "leaky_relu": ["LEAKY_SLOPE"], "elu": ["ELU_ALPHA"],
    "gelu": ["_erf", "_normal_cdf", "_normal_pdf"],
    "softplus": ["sigmoid"], "silu": ["sigmoid"],
}
_CONSTANTS = {
    "LEAKY_SLOPE": f"LEAKY_SLOPE = {functions.LEAKY_SLOPE}\n",
    "ELU_ALPHA": f"ELU_ALPHA = {functions.ELU_ALPHA}\n",
    "_erf": "_erf = np.vectorize(math.erf, otypes=[float])\n",
}


COMMENTS = "code.activations."  # the catalogue keys of the script's comments
# The comments of `functions`' own source, as written there, and their keys.
_FUNCTION_COMMENTS = {
    "exp(-|x|) never overflows; both branches equal 1 / (1 + e^-x).": "fn.sigmoid",
    "At exactly 0 ReLU has no derivative; frameworks use 0 there, and so do we.": "fn.relu",
    "The exact GELU, x·Φ(x), as keras.activations.gelu(approximate=False).": "fn.gelu",
    "log(1 + e^x) without overflow.": "fn.softplus",
    "softmax(z / T): a high temperature flattens the probabilities, a low one sharpens them.": "fn.softmax",
    "subtracting the max changes nothing but avoids overflow": "fn.softmax_max",
}


def _source(name: str, c: dict) -> str:
    if name in _CONSTANTS:
        return _CONSTANTS[name]
    source = inspect.getsource(getattr(functions, name))
    for comment, key in _FUNCTION_COMMENTS.items():
        source = source.replace(comment, c[key])
    return source


def code(values: dict, lang: str = "en") -> str:
    """Runnable numpy code, needing nothing but numpy, that prints the numbers the page shows for these settings.

    The function definitions are `functions`' own source, so the code a
    student copies is the code that drew the page.
    """
    v = {**DEFAULTS, **values}
    c = {key.removeprefix(COMMENTS): i18n.text(lang, key) for key in i18n.CATALOGUES["en"] if key.startswith(COMMENTS)}
    used = list(dict.fromkeys([v["neuron_f"], v["f"], *CHAIN_ACTIVATIONS]))
    names: list[str] = []
    for act in used:
        for need in _NEEDS[act] + [act, f"{act}_derivative"]:
            if need not in names:
                names.append(need)
    names.append("softmax")
    definitions = "\n\n".join(_source(n, c).rstrip() + "\n" for n in names)
    logits = ", ".join(f"{x:g}" for x in v["logits"])
    chain_lines = "\n".join(
        f'print("{act}:", chain_gradients({act}, {act}_derivative, {v["depth"]}, {v["chain_x"]:g}, {v["chain_w"]:g}))'
        for act in CHAIN_ACTIVATIONS
    )
    imports = "import math\n\nimport numpy as np" if "_erf" in names else "import numpy as np"  # math.erf for GELU only
    return f'''{imports}

Array = np.ndarray


{definitions}

def chain_gradients(f, derivative, depth, x0, weight):
    # a_0 = x0, z_k = w * a_(k-1), a_k = f(z_k)
    # {c["chain_rule"]}
    a, product, sizes = x0, 1.0, []
    for _ in range(depth):
        z = weight * a
        product *= weight * float(derivative(z))
        a = float(f(z))
        sizes.append(abs(product))
    return np.array(sizes)


# §1.1 {c["neuron"]}: y = f(w1*x1 + w2*x2 + b)
x1, x2, w1, w2, b = {v["x1"]:g}, {v["x2"]:g}, {v["w1"]:g}, {v["w2"]:g}, {v["b"]:g}
z = w1 * x1 + w2 * x2 + b
print("z =", z, " y =", float({v["neuron_f"]}(z)))

# §1.2 {c["function"]}
x = {v["x"]:g}
print("{v["f"]}(x) =", float({v["f"]}(x)), " derivative =", float({v["f"]}_derivative(x)))

# {c["softmax"]}
print("softmax:", softmax(np.array([{logits}]), temperature={v["temperature"]:g}))

# {i18n.text(lang, COMMENTS + "chain", depth=v["depth"])}
{chain_lines}
'''
