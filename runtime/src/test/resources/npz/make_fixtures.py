"""Regenerates the NumPy fixtures that NpzTest reads (python3 + numpy). Values are simple
arithmetic sequences so that the test can assert them exactly."""
import io
import zipfile

import numpy as np

arrays = dict(
    f4=(np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5),
    f8=np.array([1.5, -2.25, 1e300, -0.0], dtype=np.float64),
    i8=np.array([[-(2**40), 1], [2, 2**62]], dtype=np.int64),
    i4=np.array([-7, 0, 2**31 - 1], dtype=np.int32),
    i2=np.array([-300, 300], dtype=np.int16),
    i1=np.array([-128, 127], dtype=np.int8),
    u1=np.array([0, 200, 255], dtype=np.uint8),
    u2=np.array([65535, 1], dtype=np.uint16),
    b1=np.array([[True, False], [False, True]]),
    f2=np.array([0.5, -1.25, 65504.0, 6e-8], dtype=np.float16),
    scalar_f8=np.array(3.25),
    scalar_i8=np.array(-42, dtype=np.int64),
    fortran=np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4)),
    big_endian=np.arange(5, dtype=">f8") * 1.5,
    empty=np.zeros((0, 3), dtype=np.float32),
)
arrays["fc.weight"] = np.arange(48, dtype=np.float32).reshape(3, 16)
np.savez("numpy_types.npz", **arrays)
np.savez_compressed(
    "numpy_compressed.npz",
    a=np.arange(12, dtype=np.float64).reshape(3, 4) - 5,
    b=np.arange(1000, dtype=np.int64),
)

# .npy format versions 2.0 and 3.0 (numpy.savez only writes 1.0 for ordinary headers).
with zipfile.ZipFile("npy_versions.npz", "w") as z:
    for version, name in [((1, 0), "v1"), ((2, 0), "v2"), ((3, 0), "v3")]:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.arange(6, dtype=np.float32).reshape(3, 2) + version[0],
                                  version=version)
        z.writestr(name + ".npy", buf.getvalue())
