"""all-MiniLM-L6-v2 as an ONNX graph, built from the weights of its registry package.

The model is a 6-layer BERT encoder (hidden 384, 12 heads); sentence-transformers reads it as
mean pooling over the last hidden states, then L2 normalisation. The graph below is that
encoder, written with `onnx.helper` from the package's `model.safetensors`, so onnxruntime
runs it without PyTorch. Inputs: token ids, position ids and the attention mask as an additive
bias (0 where a token is, -10000 on padding); output: the last hidden states.
"""

import logging

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
OPSET = 20  # Gelu is an operator from opset 20 on
# Products of two activations (query x key, attention x value): left in float when quantising.
ATTENTION = "attention_matmul"


class _Graph:
    """Nodes and weights of the graph being written; each helper returns its output's name."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def constant(self, hint: str, value: np.ndarray) -> str:
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def op(self, kind: str, inputs: list[str], hint: str = "", **attributes) -> str:
        output = self.name(hint or kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [output], name=output, **attributes))
        return output

    def linear(self, x: str, prefix: str) -> str:
        """x @ W.T + b of the torch Linear layer `prefix`."""
        weight = self.constant(f"{prefix}.wT", self.weights[f"{prefix}.weight"].T.copy())
        bias = self.constant(f"{prefix}.b", self.weights[f"{prefix}.bias"])
        return self.op("Add", [self.op("MatMul", [x, weight]), bias])

    def layer_norm(self, x: str, prefix: str) -> str:
        scale = self.constant(f"{prefix}.w", self.weights[f"{prefix}.weight"])
        bias = self.constant(f"{prefix}.b", self.weights[f"{prefix}.bias"])
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=LAYER_NORM_EPS)


def _attention(g: _Graph, h: str, mask_bias: str, prefix: str) -> str:
    heads = g.constant("heads_shape", np.array([0, 0, HEADS, HIDDEN // HEADS], dtype=np.int64))
    merged = g.constant("merged_shape", np.array([0, 0, HIDDEN], dtype=np.int64))

    def split(x: str, perm: list[int]) -> str:
        return g.op("Transpose", [g.op("Reshape", [x, heads])], perm=perm)

    q = split(g.linear(h, f"{prefix}.self.query"), [0, 2, 1, 3])
    k = split(g.linear(h, f"{prefix}.self.key"), [0, 2, 3, 1])
    v = split(g.linear(h, f"{prefix}.self.value"), [0, 2, 1, 3])
    scale = g.constant("scale", np.array(1.0 / np.sqrt(HIDDEN // HEADS), dtype=np.float32))
    scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k], ATTENTION), scale]), mask_bias])
    context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v], ATTENTION)
    context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), merged])
    out = g.linear(context, f"{prefix}.output.dense")
    return g.layer_norm(g.op("Add", [out, h]), f"{prefix}.output.LayerNorm")


def _feed_forward(g: _Graph, h: str, prefix: str) -> str:
    inner = g.op("Gelu", [g.linear(h, f"{prefix}.intermediate.dense")])
    out = g.linear(inner, f"{prefix}.output.dense")
    return g.layer_norm(g.op("Add", [out, h]), f"{prefix}.output.LayerNorm")


def build_graph(weights: dict[str, np.ndarray]) -> onnx.ModelProto:
    """The encoder as an ONNX model, from the checkpoint's tensors by their names."""
    g = _Graph(weights)
    words = g.constant("words", weights["embeddings.word_embeddings.weight"])
    positions = g.constant("positions", weights["embeddings.position_embeddings.weight"])
    # Every token is of type 0: its embedding is a constant row.
    kind = g.constant("token_type", weights["embeddings.token_type_embeddings.weight"][0])
    h = g.op(
        "Add",
        [
            g.op(
                "Add",
                [g.op("Gather", [words, "input_ids"]), g.op("Gather", [positions, "position_ids"])],
            ),
            kind,
        ],
    )
    h = g.layer_norm(h, "embeddings.LayerNorm")
    for layer in range(LAYERS):
        prefix = f"encoder.layer.{layer}"
        h = _attention(g, h, "mask_bias", f"{prefix}.attention")
        h = _feed_forward(g, h, prefix)
    g.nodes.append(helper.make_node("Identity", [h], ["hidden"]))
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        inputs=[
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["tokens"]),
            helper.make_tensor_value_info(
                "mask_bias", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]
            ),
        ],
        outputs=[
            helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", HIDDEN])
        ],
        initializer=g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 10
    onnx.checker.check_model(model)
    return model


def _not_the_preprocessing_hint(record) -> bool:
    """onnxruntime's quantiser logs to the root logger that a model could be pre-processed
    first (shape inference, which needs sympy); this graph needs none."""
    return not record.getMessage().startswith("Please consider to run pre-processing")


def quantised(model: onnx.ModelProto) -> onnx.ModelProto:
    """The encoder with the weights of its linear layers as int8, one scale per output
    column (onnxruntime's dynamic quantisation); attention products stay in float. Twice as
    fast on a CPU, vectors at cosine 0.995 to the float model's (docs/engine.md)."""
    import tempfile
    from pathlib import Path

    from onnxruntime.quantization import QuantType, quantize_dynamic

    attention = [n.name for n in model.graph.node if n.name.startswith(ATTENTION)]
    root = logging.getLogger()
    root.addFilter(_not_the_preprocessing_hint)
    try:
        # From a file of ours, not a ModelProto: onnxruntime would then write the model into
        # a temporary folder of its own, which a process ending mid-load (a web worker told
        # to stop) cannot clean up quietly; ours can.
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
            source, path = Path(folder) / "float.onnx", Path(folder) / "int8.onnx"
            onnx.save_model(model, source)
            quantize_dynamic(
                source,
                path,
                op_types_to_quantize=["MatMul"],
                per_channel=True,
                weight_type=QuantType.QInt8,
                nodes_to_exclude=attention,
            )
            return onnx.load(path)
    finally:
        root.removeFilter(_not_the_preprocessing_hint)
