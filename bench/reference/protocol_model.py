"""The protocol case's model in PyTorch: the generic layer list that `bench/src/protocol-layers.ts`
exports from a sequential TF.js Layers model (format and layout in the case's `layout` field).

Inputs stay in the case's layout (NHWC images or [N, F] features); convolutions run in NCHW and
`flatten` goes back to NHWC order first, so dense kernels are used exactly as exported. Float32
throughout, like mlap.
"""

import numpy as np
import torch
import torch.nn.functional as F


def weight(entry):
    return torch.from_numpy(np.asarray(entry["values"], dtype=np.float32).reshape(entry["shape"]))


def activate(h, name):
    if name == "relu":
        return F.relu(h)
    if name == "sigmoid":
        return torch.sigmoid(h)
    if name == "linear":
        return h
    raise ValueError(f"activation {name!r} is not supported")


class LayerNet:
    """Callable logits model built from `case["model"]` (inputShape and layers)."""

    def __init__(self, net):
        self.input_shape = list(net["inputShape"])
        self.layers = [self.prepare(layer) for layer in net["layers"]]

    @staticmethod
    def prepare(layer):
        kind = layer["type"]
        out = dict(layer)
        if kind == "conv2d":
            out["kernel"] = weight(layer["kernel"]).permute(3, 2, 0, 1).contiguous()  # HWIO -> OIHW
            kh, kw = out["kernel"].shape[2:]
            out["pad"] = (kh // 2, kw // 2) if layer["padding"] == "same" else (0, 0)
        elif kind == "dense":
            out["kernel"] = weight(layer["kernel"])
        elif kind not in ("maxpool2d", "flatten", "activation"):
            raise ValueError(f"layer {layer.get('name')!r}: type {kind!r} is not supported")
        if kind in ("conv2d", "dense"):
            out["bias"] = None if layer["bias"] is None else weight(layer["bias"])
        return out

    def __call__(self, x):
        h, channels_first = x, False
        for layer in self.layers:
            kind = layer["type"]
            if kind in ("conv2d", "maxpool2d") and not channels_first:
                h, channels_first = h.permute(0, 3, 1, 2), True
            if kind == "conv2d":
                h = F.conv2d(h, layer["kernel"], layer["bias"], stride=tuple(layer["strides"]),
                             padding=layer["pad"])
                h = activate(h, layer["activation"])
            elif kind == "maxpool2d":
                h = F.max_pool2d(h, tuple(layer["poolSize"]), tuple(layer["strides"]))
            elif kind == "flatten":
                if channels_first:
                    h, channels_first = h.permute(0, 2, 3, 1), False  # NHWC order, as TF.js
                h = h.flatten(1)
            elif kind == "dense":
                h = h @ layer["kernel"]
                h = activate(h if layer["bias"] is None else h + layer["bias"], layer["activation"])
            else:
                h = activate(h, layer["activation"])
        return h
