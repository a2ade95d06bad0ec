"""Writes a .safetensors file (Python 3 standard library only), for the test model generators
(tests/reference/hf_reference.py, tests/support/make_scripted_model.py).

The format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
shape and byte range, padded with spaces to a multiple of 8 bytes, then the raw data."""

import json
import struct


def write_safetensors(path, tensors):
    """tensors: name -> (dtype such as "F32" or "BF16", little-endian bytes, shape), written in
    the given order."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, (dtype, data, shape) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
