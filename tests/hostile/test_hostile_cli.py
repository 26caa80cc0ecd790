"""The CLI on hostile files: one line on stderr, exit 1, bounded memory, nothing half-written."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from candidate_cards.cli import write_text
from tests.conftest import missing_tool

SRC = Path(__file__).parents[2] / "src"
VALID = {"profiles": [{"profileId": "p1", "name": "Ann Lee", "matchScore": 88}]}
BIG = 200 * 10**6


@dataclass(frozen=True)
class Run:
    """A finished CLI process: exit code, output, and its own peak resident memory."""

    code: int
    stdout: str
    stderr: str
    peak_rss_mib: float


def cli(
    *args: str,
    cwd: Path,
    stdin: Any = None,
    file_size_limit: int | None = None,
    as_plain_user: bool = False,
) -> Run:
    """Run ``python -m candidate_cards`` from this checkout and measure its peak RSS.

    ``as_plain_user``: under root, drop the capabilities that let root read any file, so
    file permissions apply as they do for everyone else (``setpriv``, from util-linux).
    """

    def limit_file_size() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    out, err = cwd / ".stdout", cwd / ".stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [*_plain_user_prefix(as_plain_user), sys.executable, "-m", "candidate_cards", *args],
            cwd=cwd,
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"},
            preexec_fn=limit_file_size,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    run = Run(
        process.returncode,
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
        usage.ru_maxrss / 1024,
    )
    out.unlink()
    err.unlink()
    return run


def assert_one_line_error(run: Run, *expected: str) -> None:
    """Exit code 1, nothing on stdout, one ``error:`` line naming what is wrong, no traceback."""
    assert run.code == 1, run
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in run.stderr
    for text in expected:
        assert text in lines[0]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty directory to run the CLI in."""
    return tmp_path


def _write(directory: Path, name: str, data: bytes) -> str:
    (directory / name).write_bytes(data)
    return name


@pytest.fixture(scope="module")
def tiny_peak(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Peak RSS of the CLI rendering a tiny file: the baseline the limits are measured from."""
    workdir = tmp_path_factory.mktemp("tiny")
    tiny = _write(workdir, "tiny.json", json.dumps(VALID).encode())
    return cli("render", tiny, cwd=workdir).peak_rss_mib


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "in.json: empty; expected JSON"),
        (b"\xef\xbb\xbf", "in.json: empty"),
        (b'{"profiles": [{"profileId": "p", "name": "\xc3("}]}', "in.json: not valid UTF-8"),
        (b'{"profiles": [], "profiles": []}', "duplicate key 'profiles'"),
        (b'{"profiles": [{"profileId": "p", "name": "A", "matchScore": NaN}]}', "NaN"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        (b'{"profileId": "p", "name": "A", "matchScore": "87"}', "matchScore"),
        (b'{"profileId": "p", "name": "A", "skills": ["x", 7]}', "skills[1]"),
        (b'{"a": ' + b"9" * 5000 + b"}", "5000 digits"),
        (b"42", "expected a JSON object or array"),
    ],
    ids=lambda value: value[:30].decode(errors="replace") if isinstance(value, bytes) else None,
)
def test_malformed_files_are_one_line_errors(workdir: Path, data: bytes, expected: str) -> None:
    """Bad encodings, bad JSON and bad fields: exit 1 and a line naming the file or field."""
    assert_one_line_error(cli("render", _write(workdir, "in.json", data), cwd=workdir), expected)


def test_a_utf8_bom_file_renders(workdir: Path) -> None:
    """A BOM is accepted: the cards are written."""
    name = _write(workdir, "bom.json", b"\xef\xbb\xbf" + json.dumps(VALID).encode())
    run = cli("render", name, cwd=workdir)
    assert run.code == 0, run
    assert 'data-profile-id="p1"' in run.stdout


def test_a_directory_as_input_is_refused(workdir: Path) -> None:
    """A directory is named as such."""
    (workdir / "cards").mkdir()
    assert_one_line_error(cli("render", "cards", cwd=workdir), "cards: is a directory")


def _plain_user_prefix(wanted: bool) -> list[str]:
    """What runs a command without root's power to read every file; nothing when not root."""
    if not wanted or os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        missing_tool("running as root and setpriv (util-linux) is absent")
    dropped = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={dropped}", f"--bounding-set={dropped}"]


def test_a_missing_input_is_refused(workdir: Path) -> None:
    """A missing path is named as such."""
    assert_one_line_error(cli("render", "nope.json", cwd=workdir), "nope.json: no such file")


def test_an_unreadable_input_is_refused(workdir: Path) -> None:
    """A file the user cannot read is named, with the reason."""
    name = _write(workdir, "secret.json", json.dumps(VALID).encode())
    (workdir / name).chmod(0)
    run = cli("render", name, cwd=workdir, as_plain_user=True)
    assert_one_line_error(run, "secret.json: cannot be read")


def test_a_200_mb_file_is_refused_without_reading_it(workdir: Path, tiny_peak: float) -> None:
    """A 200 MB (sparse) file: PAYLOAD_TOO_LARGE's message, and memory as for a tiny file."""
    with (workdir / "big.json").open("wb") as handle:
        handle.truncate(BIG)
    run = cli("render", "big.json", cwd=workdir)
    print(f"peak RSS: tiny file {tiny_peak:.1f} MiB, 200 MB file {run.peak_rss_mib:.1f} MiB")
    assert_one_line_error(run, "big.json: larger than 16 MiB")
    assert run.peak_rss_mib < tiny_peak + 10


#: Reading up to the 16 MiB limit may hold it twice (buffer and bytes); all 200 MB may not.
LIMIT_READ_MIB = 2 * 16 + 10


def test_an_endless_input_is_cut_at_the_limit(workdir: Path, tiny_peak: float) -> None:
    """/dev/zero reports size 0 but never ends: read at most the limit, then refuse."""
    run = cli("render", "/dev/zero", cwd=workdir)
    assert_one_line_error(run, "/dev/zero: larger than 16 MiB")
    assert run.peak_rss_mib < tiny_peak + LIMIT_READ_MIB


def test_an_oversized_stdin_is_refused(workdir: Path, tiny_peak: float) -> None:
    """200 MB on stdin: refused after the limit, without reading the rest."""
    with (workdir / "big.json").open("wb") as handle:
        handle.truncate(BIG)
    with (workdir / "big.json").open("rb") as stdin:
        run = cli("render", "-", cwd=workdir, stdin=stdin)
    assert_one_line_error(run, "stdin: larger than 16 MiB")
    assert run.peak_rss_mib < tiny_peak + LIMIT_READ_MIB


# --- no partial output -----------------------------------------------------------------


def _existing(workdir: Path) -> tuple[Path, bytes]:
    """An output file that holds earlier cards, with permissions a web server can read."""
    output = workdir / "cards.html"
    output.write_bytes(b"<p>earlier cards</p>\n")
    output.chmod(0o644)
    return output, output.read_bytes()


def _leftovers(workdir: Path) -> list[str]:
    return sorted(path.name for path in workdir.iterdir() if path.name.startswith(".cards"))


def test_an_invalid_payload_leaves_the_output_untouched(workdir: Path) -> None:
    """A payload refused before rendering does not touch ``-o``."""
    output, before = _existing(workdir)
    name = _write(workdir, "in.json", b'{"profileId": "p", "name": 5}')
    assert_one_line_error(cli("render", name, "-o", output.name, cwd=workdir), "name")
    assert output.read_bytes() == before
    assert _leftovers(workdir) == []


def test_a_full_disk_mid_write_leaves_the_output_untouched(workdir: Path) -> None:
    """The file-size limit stops the write after 1 KiB: old file intact, no temporary left."""
    output, before = _existing(workdir)
    profiles = [{"profileId": f"p{n}", "name": f"Person {n}"} for n in range(10)]
    name = _write(workdir, "in.json", json.dumps({"profiles": profiles}).encode())
    run = cli("render", name, "-o", output.name, cwd=workdir, file_size_limit=1024)
    assert_one_line_error(run, "too large")
    assert output.read_bytes() == before
    assert _leftovers(workdir) == []


def test_a_renderer_failing_mid_batch_leaves_the_output_untouched(workdir: Path) -> None:
    """A crash after some cards are rendered writes nothing: the file is not half-new."""
    output, before = _existing(workdir)
    profiles = [{"profileId": f"p{n}", "name": f"Person {n}"} for n in range(10)]
    name = _write(workdir, "in.json", json.dumps({"profiles": profiles}).encode())
    crash_on_fifth = (
        "import candidate_cards.cards as cards, runpy\n"
        "real, calls = cards.card_view, []\n"
        "def failing(*args):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 5: raise RuntimeError('injected failure')\n"
        "    return real(*args)\n"
        "cards.card_view = failing\n"
        "runpy.run_module('candidate_cards', run_name='__main__')\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", crash_on_fifth, "render", name, "-o", output.name],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert process.returncode != 0
    assert "injected failure" in process.stderr
    assert output.read_bytes() == before
    assert _leftovers(workdir) == []


def test_a_successful_write_keeps_the_files_permissions(workdir: Path) -> None:
    """Replacing a 0644 file keeps 0644; the atomic write must not make it owner-only."""
    output, before = _existing(workdir)
    name = _write(workdir, "in.json", json.dumps(VALID).encode())
    run = cli("render", name, "-o", output.name, cwd=workdir)
    assert run.code == 0, run
    assert output.read_bytes() != before
    assert output.stat().st_mode & 0o777 == 0o644
    assert _leftovers(workdir) == []


def test_write_output_failing_after_some_output_changes_nothing(workdir: Path) -> None:
    """``write_text`` stopped by text it cannot encode, after 200 KB were written."""
    output, before = _existing(workdir)
    with pytest.raises(UnicodeEncodeError):
        write_text("<p>card</p>" * 20_000 + "\ud800", output)
    assert output.read_bytes() == before
    assert _leftovers(workdir) == []
