"""show: the notice with its entities, notice type and reasons, as HTML and for a terminal."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import retraction_reasons as rr
from retraction_reasons.cli import main
from retraction_reasons.display import render_html, render_terminal, use_color

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def seed_result(nlp, seed_text):
    return rr.classify(seed_text, model=nlp)


def test_html_is_self_contained_and_shows_everything(seed_text, seed_result):
    page = render_html(seed_text, seed_result, title="seed")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    for forbidden in ("<script", "<link", "src=", "@import", "url(", "@font-face"):
        assert forbidden not in page
    assert seed_result.notice_type in page
    for label in {e.label for e in seed_result.entities}:
        assert f">{label}</span>" in page
    for reason in seed_result.reasons:
        assert reason.name in page and f"{reason.score:.2f}" in page
    assert 'class="ev"' in page  # evidence sentences are shaded


def test_html_escapes_the_notice(nlp):
    text = 'The authors retract this article: <script>alert("x")</script> & the data were fabricated.'
    page = render_html(text, rr.classify(text, model=nlp))
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;" in page


def test_terminal_plain_and_colour(seed_text, seed_result):
    plain = render_terminal(seed_text, seed_result, color=False)
    assert not ANSI.search(plain)
    assert "[10.3389/fcell.2024.1445354|NOTICE_DOI]" in plain
    assert f"notice type: {seed_result.notice_type}" in plain
    assert "evidence:" in plain and "«" in plain
    coloured = render_terminal(seed_text, seed_result, color=True)
    assert ANSI.search(coloured) and "⟨AUTHOR⟩" in coloured
    assert ANSI.sub("", coloured).count("Wei H") == plain.count("Wei H")


def test_use_color_only_on_a_terminal(monkeypatch, tmp_path):
    with open(tmp_path / "out.txt", "w") as handle:
        assert not use_color(handle)

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert use_color(Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Terminal())


def test_cli_writes_html_and_prints_text(corpora_dir, tmp_path, capsys):
    notice = corpora_dir / "seed_notice.txt"
    out = tmp_path / "seed.html"
    assert main(["show", str(notice), "--html", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    captured = capsys.readouterr()
    assert captured.out == "" and "wrote" in captured.err
    assert main(["show", str(notice), "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "notice type: retraction" in text and not ANSI.search(text)
    assert main(["show", str(notice), "--color", "always"]) == 0
    assert ANSI.search(capsys.readouterr().out)


def test_cli_refuses_bad_input(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    assert main(["show", str(empty)]) == 2
    assert "[RR101]" in capsys.readouterr().err
    assert main(["show", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_installed_command_renders_html(corpora_dir, tmp_path):
    command = Path(sys.executable).with_name("retraction-reasons")
    if not command.exists():
        pytest.skip("the retraction-reasons command is not installed next to this Python")
    out = tmp_path / "seed.html"
    run = subprocess.run([str(command), "show", str(corpora_dir / "seed_notice.txt"), "--html", str(out),
                          "--format", "text"], capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": ""})
    assert run.returncode == 0, run.stderr
    assert "notice type:" in run.stdout and "NOTICE_DOI" in out.read_text(encoding="utf-8")
