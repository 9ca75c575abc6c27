"""Python's cyclic garbage collector, set once per server process after its first page.

Under load a server holds a few hundred thousand objects (modules, Plotly's classes, cached
frames and figures), and Python walks all of them in every full collection: 0.2-0.4 s with
every session of that process waiting, about every six seconds after a new database file.
Freezing what the first page leaves behind (imports, mostly: they live as long as the process)
takes them out of every later walk, and a larger first generation makes collections rarer.
Measured with bench/load.py (50 sessions, 2 replicas, a swap): 3.2-4.0 s of collection per
replica in 75 s before, 1.6-2.2 s after (bench/README.md, "Second pass")."""

from __future__ import annotations

import atexit
import gc
import threading

YOUNG_THRESHOLD = 20_000  # Python's default is 700 allocations between young collections
_lock = threading.Lock()
_done = False


def settle() -> None:
    """Once per process: collect, freeze what is left, and space collections out."""
    global _done
    with _lock:
        if _done:
            return
        _done = True
    gc.collect()
    gc.freeze()
    atexit.register(gc.unfreeze)  # at exit everything is freed as before (no leak reports)
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
