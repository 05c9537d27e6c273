"""What running an uploaded digit reader would cost, read from its ``.keras`` file before Keras builds or runs it.

A config can ask for few weights and huge activations (UpSampling2D((400, 400)) turns one 28 × 28 image into
125 M numbers), or for far more weights than its file holds; a weights file can declare a gigabyte it does not
hold (an HDF5 fill value), which Keras allocates before it compares. So, before Keras reads the file:

- ``model_cost`` walks the config's graph (Sequential, functional, nested models) layer by layer. Each layer's
  output shape comes from Keras' own ``compute_output_shape`` on a layer object made from its config and never
  built (building allocates its weights); its weights are counted by the rules of ``_weights``. A layer of a
  kind in neither ``WEIGHTED`` nor ``WEIGHT_FREE`` is refused: its cost cannot be known without running it.
- ``check_weights_file`` reads the HDF5 weights file's datasets' declared shapes and types (h5py reads them
  from the file's headers and allocates nothing for the data) and refuses more than the config implies.

Refusals are ``Refused`` (a reason key and a detail, as ``files.UploadError`` has them); details hold names,
shapes and sizes only, so they read the same in every language.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field

import numpy as np

from dlplay.digits.reading import BATCH
from dlplay.plain import shorten

# A digit reader has about a dozen layers (ours: 12 with its input; the largest the page trains: 12); a valid
# 600-layer model took 131 s of CPU to load and read the test set.
MAX_LAYERS = 64
# Weights and biases a digit reader may have: the shipped "ours" has 0.2 M, the tutorial's 0.7 M.
MAX_WEIGHTS = 20_000_000
# Activations while the test set is read BATCH images at a time: one layer's output, and all of them (what a
# gradient keeps). The page's largest network (3 blocks of 64 filters) needs 83 MB and 146 MB; "ours" 41 and 112.
MAX_ACTIVATION_BYTES = 128 * 2**20
MAX_ACTIVATIONS_BYTES = 512 * 2**20
# What a weights file may hold beyond the layers' weights: an optimizer's state (Keras reads none of it without
# compiling, but a file saved after model.fit carries it: Adam keeps two numbers per weight and its step count).
OPTIMIZER_SLOTS = 3
SLACK = 1024
MAX_WEIGHT_ENTRIES = 4096  # groups and datasets in the weights file: three or four per layer
MODELS = ("Sequential", "Functional", "Model")
WEIGHTED = ("Dense", "Conv1D", "Conv2D", "Conv1DTranspose", "Conv2DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
            "SeparableConv1D", "SeparableConv2D", "BatchNormalization", "LayerNormalization", "GroupNormalization",
            "SimpleRNN", "LSTM", "GRU", "PReLU")
WEIGHT_FREE = ("Flatten", "Reshape", "Permute", "RepeatVector", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
               "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Activation", "ReLU",
               "LeakyReLU", "ELU", "Softmax", "Identity", "Rescaling", "UnitNormalization", "MaxPooling1D",
               "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
               "GlobalAveragePooling1D", "GlobalAveragePooling2D", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D",
               "Cropping2D", "UpSampling1D", "UpSampling2D", "Add", "Subtract", "Multiply", "Average", "Maximum",
               "Minimum", "Concatenate")
# TensorFlow takes these as the names of the scopes a layer runs in; another name fails only once it runs.
NAME = re.compile(r"[A-Za-z0-9.][A-Za-z0-9_.\\/>-]{0,199}")


class Refused(ValueError):
    """A model whose cost is too high or cannot be known: ``reason`` and ``detail`` as ``files.UploadError``'s."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass
class Cost:
    """What a model's config asks for: its layer calls, weights, and each layer's output for one image."""

    layers: int
    weights: int = 0
    outputs: list[tuple[str, tuple[int, ...], int]] = field(default_factory=list)  # (layer, shape, bytes)

    @property
    def total_bytes(self) -> int:
        return sum(size for _, _, size in self.outputs)


def model_cost(config: dict) -> Cost:
    """The cost of the model a ``.keras`` file's parsed ``config.json`` describes; Refused if too high or unknown
    (as soon as a layer takes the weights or activations past their budget)."""
    cost = Cost(layer_calls(config))
    if cost.layers > MAX_LAYERS:
        raise Refused("layers", f"{cost.layers:,} > {MAX_LAYERS}")
    import keras  # its layer classes give the shapes: a refused count costs no TensorFlow start-up

    if not _kind(config):
        raise Refused("unreadable", "config.json: no class_name")
    if _kind(config) not in MODELS:
        raise Refused("layer_kind", _kind_name(config))
    inputs = _model_inputs(config)
    if len(inputs) != 1:
        raise Refused("input_shape", f"{len(inputs)} inputs")
    if inputs[0] is None or inputs[0][1:] not in ((28, 28, 1), (28, 28)):
        raise Refused("input_shape", str(inputs[0]))
    _Walk(keras, cost).model(config, inputs)
    return cost


def layer_calls(config) -> int:
    """How many layers a config holds, nested models' included, a layer called more than once counted per call.
    Read from the parsed JSON alone, as a loop: the config may nest as deep as JSON lets it."""
    count, stack = 0, [config]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            layers = node.get("layers")
            if isinstance(layers, list):
                count += sum(max(1, len(spec.get("inbound_nodes") or ()) if isinstance(spec, dict) else 1)
                             for spec in layers)
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    return count


def _kind(spec) -> str:
    kind = spec.get("class_name", "") if isinstance(spec, dict) else ""
    return kind if isinstance(kind, str) else ""


def _kind_name(spec) -> str:
    """A layer's kind as its config names it, module and class: keras.layers.Dense."""
    module = spec.get("module") if isinstance(spec, dict) else None
    return shorten(f"{module}.{_kind(spec)}" if isinstance(module, str) else str(_kind(spec)), 120)


def _config(spec) -> dict:
    config = spec.get("config") if isinstance(spec, dict) else None
    return config if isinstance(config, dict) else {}


def _shape(value) -> tuple | None:
    """A shape as a config writes it ([null, 28, 28, 1]); None if it is not one."""
    if not isinstance(value, (list, tuple)) or len(value) > 8:
        return None
    if not all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value):
        return None
    return tuple(value)


def _input_layer_shape(spec) -> tuple | None:
    config = _config(spec)
    return _shape(config.get("batch_shape", config.get("batch_input_shape")))


def _history(value) -> list[tuple]:
    """Tensors a functional config names as [layer, node, tensor] (one) or a list of them."""
    if isinstance(value, list) and len(value) >= 3 and isinstance(value[0], str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [(item[0], item[1], item[2]) for item in value
            if isinstance(item, list) and len(item) >= 3 and isinstance(item[0], str)]


def _model_inputs(spec) -> list[tuple | None]:
    """The input shapes a model's config declares: its first layer's (Sequential) or its input layers'."""
    config = _config(spec)
    layers = [layer for layer in config.get("layers") or () if isinstance(layer, dict)]
    if _kind(spec) == "Sequential":
        if layers and _kind(layers[0]) == "InputLayer":
            return [_input_layer_shape(layers[0])]
        declared = config.get("build_input_shape")
        if declared is None and layers:
            declared = (layers[0].get("build_config") or {}).get("input_shape")
        return [_shape(declared)]
    by_name = {_config(layer).get("name", layer.get("name")): layer for layer in layers}
    return [_input_layer_shape(by_name.get(name)) for name, _, _ in _history(config.get("input_layers"))]


class _Walk:
    """Each layer of a config, given its input shapes: its output shapes, weights and activation sizes go into
    ``cost``. Nothing is built."""

    def __init__(self, keras, cost: Cost):
        self.keras, self.cost = keras, cost

    def model(self, spec: dict, inputs: list) -> list[tuple]:
        _check_name(_config(spec).get("name"))
        if _kind(spec) == "Sequential":
            shape = inputs[0]
            for layer in _config(spec).get("layers") or ():
                if _kind(layer) != "InputLayer":
                    outputs = self.layer(layer, shape)
                    if len(outputs) != 1:
                        raise Refused("unreadable", f"{_layer_name(layer)}: {len(outputs)} outputs in a Sequential")
                    shape = outputs[0]
            return [shape]
        return self.functional(_config(spec), inputs)

    def functional(self, config: dict, inputs: list) -> list[tuple]:
        tensors = dict(zip(_history(config.get("input_layers")), inputs))
        pending = [(layer, k, node) for layer in config.get("layers") or () if _kind(layer) not in ("InputLayer", "")
                   for k, node in enumerate(layer.get("inbound_nodes") or [None])]
        while pending:  # in the order the graph allows: a call once all its inputs are known
            ready = [call for call in pending if all(key in tensors for key in _node_tensors(call[2]))]
            if not ready:
                raise Refused("unreadable", f"{_layer_name(pending[0][0])}: its inputs are not in the model")
            for layer, k, node in ready:  # a layer called again (shared) makes no new weights
                for j, shape in enumerate(self.layer(layer, _node_shapes(node, tensors), weighed=k > 0)):
                    tensors[(_layer_name(layer), k, j)] = shape
            pending = [call for call in pending if call not in ready]
        outputs = _history(config.get("output_layers"))
        if not outputs or any(key not in tensors for key in outputs):
            raise Refused("unreadable", "its outputs are not in the model")
        return [tensors[key] for key in outputs]

    def layer(self, spec, inputs, weighed: bool = False) -> list[tuple]:
        """The output shapes of one call of the layer ``spec`` on ``inputs`` (a shape, or a list of them); its
        weights are counted unless they were (``weighed``)."""
        kind, name = _kind(spec), _layer_name(spec)
        _check_name(name)
        if kind in MODELS:
            return self.model(spec, inputs if isinstance(inputs, list) else [inputs])
        if kind not in WEIGHTED + WEIGHT_FREE or spec.get("module", "keras.layers") != "keras.layers" \
                or spec.get("registered_name") not in (None, kind):
            raise Refused("layer_kind", _kind_name(spec))
        made = {key: spec[key] for key in ("module", "class_name", "config", "registered_name") if key in spec}
        try:  # made from its config without its build_config: building it would allocate its weights
            layer = self.keras.saving.deserialize_keras_object(made, safe_mode=True)
            if type(layer).__name__ != kind:
                raise TypeError(f"{kind} made a {type(layer).__name__}")
            outputs = _shapes(layer.compute_output_shape(inputs))
            weights = 0 if weighed else _weights(kind, layer, inputs)
        except Exception as error:  # noqa: BLE001 - Keras raises many types for a config it cannot use
            raise Refused("unreadable", f"{shorten(name, 60)}: {type(error).__name__}: "
                                        f"{shorten(str(error), 200)}") from None
        self.cost.weights += weights
        if self.cost.weights > MAX_WEIGHTS:
            raise Refused("weights", f"{_number(self.cost.weights)} > {MAX_WEIGHTS:,}")
        itemsize = max(4, _itemsize(layer))
        for shape in outputs:  # each checked as it comes: the next layer could multiply a huge size again
            if not shape or not all(isinstance(d, int) and d > 0 for d in shape[1:]):
                raise Refused("unreadable", f"{shorten(name, 60)}: {shorten(str(shape), 80)}")
            size = math.prod(shape[1:]) * itemsize
            if size * BATCH > MAX_ACTIVATION_BYTES:
                raise Refused("activation", f"{shorten(name, 60)}: {BATCH} × {' × '.join(map(_number, shape[1:]))}"
                                            f" × {itemsize} B = {_size(size * BATCH)} > {_size(MAX_ACTIVATION_BYTES)}")
            self.cost.outputs.append((name, shape[1:], size))
        if self.cost.total_bytes * BATCH > MAX_ACTIVATIONS_BYTES:
            raise Refused("activations", f"{BATCH} × {self.cost.total_bytes:,} B = "
                                         f"{_size(self.cost.total_bytes * BATCH)} > {_size(MAX_ACTIVATIONS_BYTES)}")
        return outputs


def _layer_name(spec) -> str:
    name = _config(spec).get("name", spec.get("name") if isinstance(spec, dict) else None)
    return name if isinstance(name, str) else ""


def _check_name(name) -> None:
    if name is not None and not (isinstance(name, str) and NAME.fullmatch(name)):
        raise Refused("name", shorten(str(name), 80))


def _node_tensors(node) -> list:
    """The [layer, node, tensor] of each tensor a functional config's call (one inbound node) takes, in order;
    the first argument only (a tensor, or a list of them for Add or Concatenate)."""
    if isinstance(node, dict):  # Keras 3: {"args": [tensor or [tensors], ...], "kwargs": {...}}
        first = (node.get("args") or [None])[0]
        items = first if isinstance(first, list) else [first]
        return [tuple(item["config"]["keras_history"][:3]) if _is_tensor(item) else None for item in items]
    if isinstance(node, list):  # older files: [[layer, node, tensor, kwargs], ...]
        return [tuple(item[:3]) if isinstance(item, list) and len(item) >= 3 else None for item in node]
    return [None]


def _is_tensor(item) -> bool:
    history = _config(item).get("keras_history") if _kind(item) == "__keras_tensor__" else None
    return isinstance(history, list) and len(history) >= 3 and isinstance(history[0], str)


def _node_shapes(node, tensors: dict):
    keys = _node_tensors(node)
    shapes = [tensors[key] for key in keys]
    nested = isinstance(node, list) and len(node) > 1 or isinstance(node, dict) and isinstance(
        (node.get("args") or [None])[0], list)
    return shapes if nested else shapes[0]


def _shapes(value) -> list[tuple]:
    """compute_output_shape's answer as a list of shapes: it gives a tuple, a list of sizes, or a list of shapes."""
    if isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value):
        return [tuple(value)]
    if isinstance(value, (tuple, list)):
        return [shape for item in value for shape in _shapes(item)]
    if isinstance(value, dict):
        return [shape for item in value.values() for shape in _shapes(item)]
    raise TypeError(f"not a shape: {type(value).__name__}")


def _itemsize(layer) -> int:
    try:
        return np.dtype(layer.compute_dtype).itemsize
    except TypeError:  # bfloat16: numpy has no such type
        return 4


def _weights(kind: str, layer, shape) -> int:
    """Weights and biases (and a normalization's statistics) ``layer`` builds for inputs of ``shape``."""
    if kind not in WEIGHTED:
        return 0
    bias = int(bool(getattr(layer, "use_bias", True)))
    last = shape[-1]
    if kind == "Dense":
        return (last + bias) * layer.units
    if kind == "PReLU":
        shared = set(layer.shared_axes or ())
        return math.prod(1 if axis in shared else d for axis, d in enumerate(shape[1:], 1))
    if kind in ("BatchNormalization", "LayerNormalization", "GroupNormalization"):
        axes = layer.axis if isinstance(layer.axis, (list, tuple)) else [layer.axis]
        features = math.prod(shape[axis] for axis in axes)
        statistics = 2 if kind == "BatchNormalization" else 0  # moving mean and variance
        return features * (statistics + 2)
    if kind in ("SimpleRNN", "LSTM", "GRU"):
        units, gates = layer.units, {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
        biases = gates * units * bias * (2 if kind == "GRU" and layer.reset_after else 1)
        return gates * units * (last + units) + biases
    channels = shape[1] if getattr(layer, "data_format", "channels_last") == "channels_first" else last
    window = math.prod(layer.kernel_size)
    if kind.startswith("Depthwise"):
        return (window + bias) * channels * layer.depth_multiplier
    if kind.startswith("Separable"):
        return window * channels * layer.depth_multiplier + (channels * layer.depth_multiplier + bias) * layer.filters
    if kind.endswith("Transpose"):
        return (window * channels + bias) * layer.filters
    return (window * (channels // getattr(layer, "groups", 1)) + bias) * layer.filters


def check_weights_file(content: bytes, weights: int) -> None:
    """Refused unless the HDF5 weights file ``content`` declares at most the ``weights`` numbers the layers hold
    (and an optimizer's state, which Keras does not read), in datasets of numbers reached by plain links.

    Only headers are read: a dataset's shape and type, never its data.
    """
    import h5py

    declared = {"layers": 0, "optimizer": 0}
    allowed = {"layers": weights + SLACK, "optimizer": OPTIMIZER_SLOTS * weights + SLACK}
    try:
        with h5py.File(io.BytesIO(content), "r") as h5:
            for where, item in _datasets(h5, h5py):
                if item.dtype.kind not in "biuf":
                    raise Refused("weights_file", f"{shorten(where, 80)}: {shorten(str(item.dtype), 40)}")
                part = "optimizer" if where.startswith("optimizer/") else "layers"
                declared[part] += math.prod(item.shape or ())
                if declared[part] > allowed[part]:
                    raise Refused("weights_file", f"{shorten(where, 80)}: {item.shape} {item.dtype}; "
                                                  f"{declared[part]:,} > {allowed[part]:,}")
    except Refused:
        raise
    except Exception as error:  # noqa: BLE001 - h5py raises several types for a damaged file
        raise Refused("unreadable", f"{type(error).__name__}: {shorten(str(error), 200)}") from None


def _datasets(h5, h5py):
    """(path, dataset) for every dataset in the file, through hard links only (an external link would open another
    file on the server); a loop over at most MAX_WEIGHT_ENTRIES entries."""
    groups, entries = [("", h5)], 0
    while groups:
        path, group = groups.pop()
        for name in group:
            entries += 1
            where = f"{path}/{name}".lstrip("/")
            if entries > MAX_WEIGHT_ENTRIES:
                raise Refused("weights_file", f"> {MAX_WEIGHT_ENTRIES:,}")
            link = group.get(name, getlink=True)
            if not isinstance(link, h5py.HardLink):
                raise Refused("weights_file", f"{shorten(where, 80)}: {type(link).__name__}")
            item = group[name]
            if isinstance(item, h5py.Group):
                groups.append((where, item))
            elif isinstance(item, h5py.Dataset):
                yield where, item
            else:
                raise Refused("weights_file", f"{shorten(where, 80)}: {type(item).__name__}")


def _size(count: int) -> str:
    if count >= 2**50:
        return "> 1 PB"
    for unit, scale in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if count >= scale:
            return f"{count / scale:,.0f} {unit}"
    return f"{count} B"


def _number(count: int) -> str:
    """A count as the refusal shows it: a config may hold numbers of thousands of digits."""
    return f"{count:,}" if count < 10**15 else "> 10^15"
