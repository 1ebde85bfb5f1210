#!/usr/bin/python3
"""Writes the tiny Keras models the tests import (src/test/resources/keras/*.h5).

They are in the HDF5 layout Keras 2 writes with model.save('model.h5'): the architecture as JSON in the file's
'model_config' attribute, the weights under 'model_weights/<layer>/<layer>/<kernel|bias>:0'. Written with h5py and
numpy only (Debian: apt-get install python3-h5py), so no Keras or TensorFlow is needed; the weights are seeded random
numbers. The files are committed; run this again only to change them:  /usr/bin/python3 scripts/keras-fixtures.py
"""
import json
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "keras")
SIZE = 12
rng = np.random.default_rng(7)


def initializer(name):
    return {"class_name": name, "config": {} if name == "Zeros" else
            {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}}


def conv(name, filters, input_shape=None):
    config = {"name": name, "trainable": True, "filters": filters, "kernel_size": [3, 3], "strides": [1, 1],
              "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu",
              "use_bias": True, "kernel_initializer": initializer("VarianceScaling"),
              "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
              "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    if input_shape:
        config["batch_input_shape"] = [None] + input_shape
        config["dtype"] = "float32"
    return {"class_name": "Conv2D", "config": config}


def pool(name):
    return {"class_name": "MaxPooling2D", "config": {"name": name, "trainable": True, "pool_size": [2, 2],
                                                     "padding": "valid", "strides": [2, 2],
                                                     "data_format": "channels_last"}}


def flatten(name):
    return {"class_name": "Flatten", "config": {"name": name, "trainable": True, "data_format": "channels_last"}}


def dense(name, units, activation):
    return {"class_name": "Dense", "config": {"name": name, "trainable": True, "units": units,
                                              "activation": activation, "use_bias": True,
                                              "kernel_initializer": initializer("VarianceScaling"),
                                              "bias_initializer": initializer("Zeros"), "kernel_regularizer": None,
                                              "bias_regularizer": None, "activity_regularizer": None,
                                              "kernel_constraint": None, "bias_constraint": None}}


def weights_of(layers, channels):
    """Seeded random weights in Keras' shapes: conv kernels (h, w, in, out), dense kernels (in, out)."""
    out = {}
    side = SIZE
    for layer in layers:
        kind, config = layer["class_name"], layer["config"]
        if kind == "Conv2D":
            out[config["name"]] = [rng.normal(0, 0.3, (3, 3, channels, config["filters"])).astype("float32"),
                                   rng.normal(0, 0.1, (config["filters"],)).astype("float32")]
            channels = config["filters"]
        elif kind == "MaxPooling2D":
            side //= 2
        elif kind == "Dense":
            fan_in = side * side * channels if channels else side
            out[config["name"]] = [rng.normal(0, 0.3, (fan_in, config["units"])).astype("float32"),
                                   rng.normal(0, 0.1, (config["units"],)).astype("float32")]
            channels, side = 0, config["units"]
    return out


def save(path, model_config, layer_names, weights):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.2.4"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        group = f.create_group("model_weights")
        group.attrs["keras_version"] = b"2.2.4"
        group.attrs["backend"] = b"tensorflow"
        group.attrs["layer_names"] = np.array([n.encode("utf8") for n in layer_names])
        for name in layer_names:
            layer = group.create_group(name)
            names = [f"{name}/kernel:0", f"{name}/bias:0"] if name in weights else []
            layer.attrs["weight_names"] = np.array([n.encode("utf8") for n in names], dtype="S" + str(
                max([len(n) for n in names] + [1])))
            for weight_name, value in zip(names, weights.get(name, [])):
                layer.create_dataset(weight_name, data=value)


def sequential():
    layers = [conv("conv2d_1", 4, [SIZE, SIZE, 1]), pool("max_pooling2d_1"), conv("conv2d_2", 8),
              pool("max_pooling2d_2"), flatten("flatten_1"), dense("dense_1", 16, "relu"),
              dense("dense_2", 4, "softmax")]
    config = {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": layers},
              "keras_version": "2.2.4", "backend": "tensorflow"}
    save(os.path.join(OUT, "sequential.h5"), config, [l["config"]["name"] for l in layers], weights_of(layers, 1))


def functional():
    chain = [conv("block1_conv1", 4), conv("block1_conv2", 4), pool("block1_pool"), conv("block2_conv1", 8),
             pool("block2_pool"), flatten("flatten"), dense("fc1", 16, "relu"), dense("predictions", 4, "softmax")]
    layers = [{"name": "input_1", "class_name": "InputLayer", "inbound_nodes": [],
               "config": {"batch_input_shape": [None, SIZE, SIZE, 1], "dtype": "float32", "sparse": False,
                          "name": "input_1"}}]
    previous = "input_1"
    for layer in chain:
        name = layer["config"]["name"]
        layers.append({"name": name, "class_name": layer["class_name"], "config": layer["config"],
                       "inbound_nodes": [[[previous, 0, 0, {}]]]})
        previous = name
    config = {"class_name": "Model", "config": {"name": "model_1", "layers": layers,
                                                "input_layers": [["input_1", 0, 0]],
                                                "output_layers": [["predictions", 0, 0]]},
              "keras_version": "2.2.4", "backend": "tensorflow"}
    save(os.path.join(OUT, "functional.h5"), config, [l["name"] for l in layers], weights_of(chain, 1))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    sequential()
    functional()
    print("wrote", sorted(os.listdir(OUT)))
