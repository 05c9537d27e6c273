"""The activations page's code: the tutorial's own §1.2 example, and the code panel's script."""

from __future__ import annotations

import inspect

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


def _source(name: str) -> str:
    if name in _CONSTANTS:
        return _CONSTANTS[name]
    return inspect.getsource(getattr(functions, name))


def code(values: dict) -> str:
    """Runnable numpy code, needing nothing but numpy, that prints the numbers the page shows for these settings.

    The function definitions are `functions`' own source, so the code a
    student copies is the code that drew the page.
    """
    v = {**DEFAULTS, **values}
    used = list(dict.fromkeys([v["neuron_f"], v["f"], *CHAIN_ACTIVATIONS]))
    names: list[str] = []
    for act in used:
        for need in _NEEDS[act] + [act, f"{act}_derivative"]:
            if need not in names:
                names.append(need)
    names.append("softmax")
    definitions = "\n\n".join(_source(n).rstrip() + "\n" for n in names)
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
    # a_0 = x0, z_k = w * a_(k-1), a_k = f(z_k); by the chain rule the gradient
    # reaching a_0 from layer k is the product of w * f'(z_i) over the layers.
    a, product, sizes = x0, 1.0, []
    for _ in range(depth):
        z = weight * a
        product *= weight * float(derivative(z))
        a = float(f(z))
        sizes.append(abs(product))
    return np.array(sizes)


# §1.1 The neuron: y = f(w1*x1 + w2*x2 + b)
x1, x2, w1, w2, b = {v["x1"]:g}, {v["x2"]:g}, {v["w1"]:g}, {v["w2"]:g}, {v["b"]:g}
z = w1 * x1 + w2 * x2 + b
print("z =", z, " y =", float({v["neuron_f"]}(z)))

# §1.2 Activation function and its derivative at x
x = {v["x"]:g}
print("{v["f"]}(x) =", float({v["f"]}(x)), " derivative =", float({v["f"]}_derivative(x)))

# Softmax of the logits at temperature T
print("softmax:", softmax(np.array([{logits}]), temperature={v["temperature"]:g}))

# Vanishing gradients: the gradient's size after each of {v["depth"]} layers
{chain_lines}
'''
