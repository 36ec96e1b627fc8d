"""Stop TensorFlow 2.12 on Python 3.11 leaking 16 bytes with every ``EagerTensor``.

``EagerTensor`` is a C type whose Python base classes give it CPython 3.11's "managed dict" flag. Its
``tp_new`` is inherited from ``object``, and ``object.__new__`` gives every new instance of such a type an
inline attribute-values array (``_PyObject_InitializeDict``). CPython frees that array in the generic
``subtype_dealloc``, but ``EagerTensor`` has its own ``tp_dealloc``, which does not, so each tensor leaves
its array behind: 16 bytes, about 40 tensors per DIET prediction, ~0.6 KiB per message, for ever
(tensorflow/tensorflow#62551).

The fix sets ``EagerTensor``'s ``tp_new`` to ``PyType_GenericNew``, which allocates the same object but
creates no values array; CPython then makes a dictionary only if an attribute is set, as for any other
object. Nothing else differs: ``EagerTensor`` has its own ``tp_init``, so ``object.__new__``'s argument
check never applied, and it is not abstract. The slot is written only after the type's size, flags and
dict offset read back correctly at the offsets used (CPython 3.11 on a 64-bit build), and only if the
slot still holds ``object.__new__``; otherwise nothing is changed.
"""

from __future__ import annotations

import ctypes
import logging
import sys

logger = logging.getLogger(__name__)

# Offsets into PyTypeObject for CPython 3.11 on 64-bit platforms (Include/cpython/object.h).
_TP_BASICSIZE = 32
_TP_FLAGS = 168
_TP_DICTOFFSET = 288
_TP_NEW = 312
_MANAGED_DICT = 1 << 4  # Py_TPFLAGS_MANAGED_DICT in 3.11


def _slot(tp: type, offset: int) -> ctypes.c_void_p:
    return ctypes.c_void_p.from_address(id(tp) + offset)


def _generic_new() -> int | None:
    return ctypes.cast(ctypes.pythonapi.PyType_GenericNew, ctypes.c_void_p).value


def layout_matches(tp: type) -> bool:
    """Whether ``tp`` reads back as this module expects: 3.11 layout, managed dict, ``object.__new__``."""
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11) or ctypes.sizeof(ctypes.c_void_p) != 8:
        return False
    address = id(tp)
    return (
        ctypes.c_ssize_t.from_address(address + _TP_BASICSIZE).value == tp.__basicsize__
        and ctypes.c_ulong.from_address(address + _TP_FLAGS).value == tp.__flags__
        and ctypes.c_ssize_t.from_address(address + _TP_DICTOFFSET).value == tp.__dictoffset__
        and bool(tp.__flags__ & _MANAGED_DICT)
        and "__new__" not in vars(tp)
        and _slot(tp, _TP_NEW).value == _slot(object, _TP_NEW).value
    )


def active() -> bool:
    """Whether ``EagerTensor`` allocates with ``PyType_GenericNew`` (False while TensorFlow is not loaded)."""
    ops = sys.modules.get("tensorflow.python.framework.ops")
    return ops is not None and _is_installed(ops.EagerTensor)


def _is_installed(tp: type) -> bool:
    return sys.version_info[:2] == (3, 11) and _slot(tp, _TP_NEW).value == _generic_new()


def install() -> bool:
    """Apply the fix to ``EagerTensor``; return whether it is in place (False where it does not apply)."""
    from tensorflow.python.framework.ops import EagerTensor

    if _is_installed(EagerTensor):
        return True
    if not layout_matches(EagerTensor):
        logger.warning("runtime fix for EagerTensor not applied: not the CPython 3.11 layout it was written for")
        return False
    _slot(EagerTensor, _TP_NEW).value = _generic_new()
    logger.debug("runtime fix: EagerTensor allocates with PyType_GenericNew")
    return True
