"""Random drawing variations: how ``ours`` learned to read canvas drawings, and how teaching
a model (``teach``) varies each corrected drawing.

This module imports TensorFlow (Keras' layers) on import.
"""

from __future__ import annotations

import math

import keras
from keras import layers, ops


class Augment(layers.Layer):
    """Random drawing variations, applied to a batch in training only.

    Stroke width first: a grey-level dilation (maximum over the pixel and its
    four neighbours) thickens a stroke by about a pixel, an erosion (minimum)
    thins it; a random blend weight per image moves continuously between them.
    Then one affine map per image, composed of a slant (shear), a scale with a
    little change of aspect, a rotation about the centre and a shift.
    """

    def __init__(
        self,
        seed: int,
        rotation_degrees: float = 12.0,
        scale: tuple[float, float] = (0.85, 1.12),
        aspect: float = 0.1,
        shear: float = 0.3,
        shift: float = 2.5,
        stroke: tuple[float, float] = (-0.5, 1.0),
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.rotation = math.radians(rotation_degrees)
        self.scale = scale
        self.aspect = aspect
        self.shear = shear
        self.shift = shift
        self.stroke = stroke

    def call(self, images, training=None):
        if not training:
            return images
        n = ops.shape(images)[0]

        def uniform(low, high):
            return keras.random.uniform((n,), low, high, seed=self.seed_generator)

        padded = ops.pad(images, [[0, 0], [1, 1], [1, 1], [0, 0]])
        neighbours = ops.stack(
            [
                images,
                padded[:, :-2, 1:-1],
                padded[:, 2:, 1:-1],
                padded[:, 1:-1, :-2],
                padded[:, 1:-1, 2:],
            ]
        )
        dilated = ops.max(neighbours, axis=0)
        eroded = ops.min(neighbours, axis=0)
        width = ops.reshape(uniform(*self.stroke), (-1, 1, 1, 1))
        images = ops.where(
            width > 0,
            images + width * (dilated - images),
            images - width * (eroded - images),
        )

        # Forward map A = rotation · scale · shear; affine_transform wants the
        # map from output to input pixels, A⁻¹, written out for a 2×2 matrix.
        angle = uniform(-self.rotation, self.rotation)
        size = uniform(*self.scale)
        stretch = uniform(1 - self.aspect, 1 + self.aspect)
        sx, sy = size * stretch, size / stretch
        k = uniform(-self.shear, self.shear)
        cos, sin = ops.cos(angle), ops.sin(angle)
        a11, a12 = cos * sx, cos * sx * k - sin * sy
        a21, a22 = sin * sx, sin * sx * k + cos * sy
        det = a11 * a22 - a12 * a21
        m11, m12, m21, m22 = a22 / det, -a12 / det, -a21 / det, a11 / det
        tx, ty = uniform(-self.shift, self.shift), uniform(-self.shift, self.shift)
        c = 13.5
        # input = c + M (output - c - t)
        bx = c - m11 * (c + tx) - m12 * (c + ty)
        by = c - m21 * (c + tx) - m22 * (c + ty)
        zeros = ops.zeros_like(angle)
        transform = ops.stack([m11, m12, bx, m21, m22, by, zeros, zeros], axis=1)
        images = ops.image.affine_transform(images, transform, interpolation="bilinear")
        return ops.clip(images, 0.0, 1.0)
