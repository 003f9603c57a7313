"""README.md and the click CLI agree: every command and option a README command line names
exists, and every command the CLI has is named in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click

from extract.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
_PROG = "csp-archive"
_COMMAND = re.compile(rf"{_PROG}\s+([a-z][\w-]*)")
_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def usages(text: str) -> list[tuple[str, set[str]]]:
    """(command, options) for each command line in Markdown text: indented code lines (with
    their indented continuation lines) and inline code spans that start ``csp-archive X``."""
    out: list[tuple[str, set[str]]] = []
    in_code_usage = False
    for line in text.splitlines():
        if line.startswith("    "):
            segments = line.split(_PROG)
            if len(segments) == 1:  # a continuation line of the command above, or other code
                if in_code_usage and line.strip().startswith(("[", "-")):
                    out[-1][1].update(_OPTION.findall(line))
                continue
            in_code_usage = _add_segments(out, segments[1:])
            continue
        in_code_usage = False
        for span in re.findall(r"`([^`]*)`", line):
            if _PROG in span:
                _add_segments(out, span.split(_PROG)[1:])
    return out


def _add_segments(out: list[tuple[str, set[str]]], segments: list[str]) -> bool:
    """Each piece after ``csp-archive``: its command word and the options named after it."""
    added = False
    for seg in segments:
        m = _COMMAND.match(_PROG + seg)
        if m is None:
            continue
        rest = seg.split("&&")[0][m.end() - len(_PROG) :]
        out.append((m.group(1), set(_OPTION.findall(rest))))
        added = True
    return added


def _option_names(cmd: click.Command) -> set[str]:
    return {o for p in cmd.params if isinstance(p, click.Option) for o in p.opts + p.secondary_opts}


def _problems(text: str) -> list[str]:
    problems = []
    for name, options in usages(text):
        cmd = cli.commands.get(name)
        if cmd is None:
            problems.append(f"README names command '{name}', which the CLI lacks")
            continue
        problems += [f"README names '{name} {o}', which the CLI lacks" for o in sorted(options - _option_names(cmd))]
    return problems


def test_readme_command_lines_exist_in_cli():
    text = README.read_text(encoding="utf-8")
    assert usages(text), "no csp-archive command lines found in README.md"
    assert _problems(text) == []


def test_every_cli_command_is_in_readme():
    named = {name for name, _ in usages(README.read_text(encoding="utf-8"))}
    missing = sorted(set(cli.commands) - named)
    assert missing == [], f"CLI commands not named in README.md: {missing}"


def test_parser_reads_code_blocks_inline_spans_and_continuations():
    text = (
        "Intro `csp-archive serve [--port 8001]` then prose with a read-only word.\n\n"
        "    csp-archive build [--db x.db] && csp-archive check --failed\n"
        "                      [--unmapped]\n"
        "    python3 -m pip install -e .\n"
    )
    assert usages(text) == [("serve", {"--port"}), ("build", {"--db"}), ("check", {"--failed", "--unmapped"})]


def test_unknown_command_and_option_are_reported():
    text = "    csp-archive build --no-such-option\n    csp-archive frobnicate\n"
    assert _problems(text) == [
        "README names 'build --no-such-option', which the CLI lacks",
        "README names command 'frobnicate', which the CLI lacks",
    ]
