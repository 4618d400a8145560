"""Tasks for the worker and scheduler tests: ``django.tasks`` needs module-level ``@task`` functions,
importable by the worker process by their path."""

from django.conf import settings
from django.tasks import task


@task()
def noop() -> str:
    """Does nothing; the scheduler tests count its results."""
    return "ok"


@task()
def write_marker(name: str) -> str:
    """Write ``<DATA_DIR>/<name>.marker``: proof that a worker process ran the task."""
    path = settings.DATA_DIR / f"{name}.marker"
    path.write_text(name, encoding="utf-8")
    return str(path)


@task()
def periodic_marker() -> int:
    """Append a line to ``<DATA_DIR>/periodic.marker`` per run; returns the number of runs so far."""
    path = settings.DATA_DIR / "periodic.marker"
    with path.open("a", encoding="utf-8") as f:
        f.write("run\n")
    return len(path.read_text(encoding="utf-8").splitlines())


@task()
def fail_with(secret: str) -> None:
    """Fail with ``secret`` in the arguments and the message (the health page must show neither)."""
    raise ValueError(f"could not notify {secret}")
