"""Running a notebook: papermill over a kernel of our own, and what a failure says.

The kernel talks over Unix sockets (no TCP port is opened, and two kernels started at
once cannot collide); a notebook that fails is kept with its failing cell marked, and
the :class:`~outcomes.errors.BuildError` names the cell and where the notebook is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from . import publish as publishing
from .errors import BuildError, OutcomesError

KERNEL = "python3"
# ipykernel 7 logs an unencrypted-TCP warning on start and a KeyboardInterrupt on shutdown;
# cell errors still reach us through the executed notebook.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


def _failing_cell(notebook_path: Path) -> Optional[int]:
    import nbformat

    try:
        notebook = nbformat.read(str(notebook_path), as_version=4)
    except Exception:  # the notebook may be half-written; the error message still names the session
        return None
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index
    return None


@lru_cache(maxsize=1)
def local_kernel_manager():
    """Return a kernel manager class that talks to its kernel over Unix sockets, not TCP ports.

    Two kernels started at once over TCP may pick the same free port ("Address already
    in use"); a socket file in the temporary folder, named uniquely, cannot collide,
    and no port is opened on the machine.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class LocalKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"outcomes-kernel-{uuid.uuid4().hex[:16]}")

    return LocalKernelManager


def run_papermill(source: Path, target: Path, parameters: dict, cwd: Path) -> None:
    """Execute ``source`` into ``target`` with papermill, its kernel started in ``cwd``."""
    import papermill as pm

    # Not papermill's cwd=: it chdirs the whole process, which races between our threads.
    # nbclient starts the kernel in resources' path instead, leaving our cwd alone.
    pm.execute_notebook(str(source), str(target), parameters=parameters, kernel_name=KERNEL,
                        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                        extra_arguments=KERNEL_ARGUMENTS, resources={"metadata": {"path": str(cwd)}},
                        kernel_manager_class=local_kernel_manager())


def execute(source: Path, target: Path, parameters: dict, cwd: Path, what: str, output: Path,
             session: Optional[str], runner: Optional[Callable[[Path, Path, dict, Path], None]] = None) -> None:
    """Run the notebook ``source`` into ``target`` (papermill, or ``runner``); a failure is a :class:`BuildError`.

    A failed notebook is kept, with its failing cell marked, in the output's failed folder;
    the error names ``what`` failed, the cell, and where the notebook is.
    """
    from nbclient.exceptions import CellExecutionError
    from papermill.exceptions import PapermillExecutionError

    try:
        (runner or run_papermill)(source, target, parameters, cwd)
    except (PapermillExecutionError, CellExecutionError) as exc:  # papermill's, or a warm kernel's
        kept = publishing.failed_dir(output) / target.name
        shutil.copyfile(target, kept)
        cell = _failing_cell(kept)
        where = cell if cell is not None else getattr(exc, "cell_index", None)
        raise BuildError(f"{what} failed in cell {where}: {exc.ename}: "
                         f"{exc.evalue}. The executed notebook, with the failing cell marked, is {kept}",
                         session=session, cell=cell, notebook=str(kept)) from exc
    except OutcomesError:
        raise
    except OSError as exc:
        if publishing.is_storage_problem(exc):  # papermill could not write the executed notebook
            raise
        raise BuildError(f"{what} could not run: {type(exc).__name__}: {exc}", session=session) from exc
    except Exception as exc:  # kernel death, missing kernel: papermill raises assorted types
        raise BuildError(f"{what} could not run: {type(exc).__name__}: {exc}", session=session) from exc
