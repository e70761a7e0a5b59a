"""Parse an uploaded file in a child process with memory, CPU and time limits.

The app server runs every visitor's session in one Python process; parsing a hostile file there would
hold the interpreter (and its memory) for everyone. The child gets the bytes and the catalogue through
a pipe, and returns the :class:`~mutte_geo.storage.importer.Parsed` result; if it runs out of memory or
time it is stopped and the file is refused with a message.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys

from mutte_geo.core.errors import Problem
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.indicators import UnitsByVintage
from mutte_geo.storage.importer import Options, Parsed, parse_file

MEMORY_BYTES = 1536 * 1024 * 1024  # address space of the child (Python, pandas and openpyxl need ~400 MB)
CPU_SECONDS = 20
WALL_SECONDS = 30
log = logging.getLogger(__name__)


def _limit_self(memory: int, cpu: int) -> None:
    """In the child, before it reads the file (not preexec_fn: the app server has threads)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    os.nice(5)  # the visitors' pages come first


def parse_isolated(data: bytes, file: str, *, catalogue: Catalogue, units: UnitsByVintage,
                   options: Options | None = None) -> Parsed:
    """:func:`parse_file` in a child process; a child that fails or is stopped yields a refusal."""
    limits = f"{MEMORY_BYTES} {CPU_SECONDS}"
    payload = pickle.dumps((data, file, catalogue, units, options or Options()))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    try:
        done = subprocess.run([sys.executable, "-m", "mutte_geo.storage.isolated", *limits.split()],
                              input=payload, capture_output=True, timeout=WALL_SECONDS, env=env, check=False)
    except subprocess.TimeoutExpired:
        return _refused(file, f"đọc tệp mất hơn {WALL_SECONDS} giây nên đã dừng: hãy chia nhỏ tệp",
                        f"reading the file took more than {WALL_SECONDS} s and was stopped: split the file")
    if done.returncode == 0:
        result = pickle.loads(done.stdout)  # written by our own child below
        if isinstance(result, Parsed):
            return result
    log.error("import parser child failed (exit %s): %s", done.returncode, done.stderr.decode(errors="replace")[-4000:])
    if b"MemoryError" in done.stderr or done.returncode in (-9, -24):  # SIGKILL, SIGXCPU
        return _refused(file, "tệp cần quá nhiều bộ nhớ hoặc thời gian để đọc nên đã dừng: hãy chia nhỏ tệp",
                        "the file needs too much memory or time to read and was stopped: split the file")
    return _refused(file, "không đọc được tệp (chi tiết trong nhật ký máy chủ)",
                    "the file could not be read (details in the server log)")


def _refused(file: str, vi: str, en: str) -> Parsed:
    return Parsed(file, problems=[Problem(file, None, None, vi, en)], problem_total=1)


def _child(memory: int, cpu: int) -> None:
    _limit_self(memory, cpu)
    data, file, catalogue, units, options = pickle.loads(sys.stdin.buffer.read())
    parsed = parse_file(data, file, catalogue=catalogue, units=units, options=options)
    sys.stdout.buffer.write(pickle.dumps(parsed))


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]))
