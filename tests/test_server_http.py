"""The installed ``retraction-reasons serve`` in a subprocess, over real HTTP on 127.0.0.1: the
service, graceful shutdown on SIGTERM, several workers, and the web page in headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("fastapi", reason="the HTTP service needs the api extra (FastAPI, uvicorn)")
import httpx  # noqa: E402

import retraction_reasons as rr  # noqa: E402
from retraction_reasons import _resources  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def installed_command() -> str:
    """The console command installed beside this interpreter (a venv need not be active), else on PATH."""
    beside = Path(sys.executable).parent / "retraction-reasons"
    command = str(beside) if beside.is_file() else shutil.which("retraction-reasons")
    if command is None:
        pytest.fail("the console command `retraction-reasons` is not installed: [project.scripts] missing?")
    return command


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(log_path: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start ``retraction-reasons serve`` on a free loopback port; yields its URL and process."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([installed_command(), "serve", "--port", str(port), *options],
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 120 s:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("serve") / "server.log") as (url, _):
        yield url


def test_installed_command_serves_over_http(server, nlp, seed_text):
    with httpx.Client(base_url=server, timeout=60) as http:
        health = http.get("/v1/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert "server" not in health.headers  # no software banner
        result = http.post("/v1/classify", json={"text": seed_text})
        assert result.status_code == 200
        assert result.json() == rr.classify(seed_text, model=nlp).to_dict()
        assert "unreliable_data" in [reason["id"] for reason in result.json()["reasons"]]
        texts = [seed_text, (_resources.data_dir() / "examples" / "peer_review.txt").read_text(encoding="utf-8")]
        batch = http.post("/v1/classify/batch", json={"texts": texts})
        assert [r["reasons"][0]["id"] for r in batch.json()] == ["unreliable_data", "peer_review_manipulation"]
        assert http.get("/v1/model").json()["labels"] == rr.model_info(nlp)["labels"]
        assert http.get("/").headers["content-type"].startswith("text/html")


def test_errors_over_http_are_json_without_traces(server):
    with httpx.Client(base_url=server, timeout=60) as http:
        too_large = http.post("/v1/classify", content=b'{"text": "' + b"a" * (3 * 1024 * 1024) + b'"}',
                              headers={"Content-Type": "application/json"})
        assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "RR413"
        malformed = http.post("/v1/classify", content=b'{"text": ', headers={"Content-Type": "application/json"})
        assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "RR410"
        empty = http.post("/v1/classify", json={"text": ""})
        assert empty.status_code == 422 and empty.json()["error"]["code"] == "RR101"
        for response in (too_large, malformed, empty):
            assert "Traceback" not in response.text
        assert http.get("/v1/health").status_code == 200  # still serving


def test_sigterm_lets_the_request_in_flight_finish(tmp_path, unlabelled_notices):
    notices = [row["text"] for row in unlabelled_notices.values()]
    # Long texts (several notices each) so that the batch takes seconds to classify.
    texts = ["\n\n".join(notices[i:i + 6]) for i in range(256)]
    log_path = tmp_path / "server.log"
    with running_server(log_path) as (url, process):
        outcome: dict = {}

        def send_batch() -> None:
            try:
                outcome["response"] = httpx.post(f"{url}/v1/classify/batch", json={"texts": texts}, timeout=300)
            except Exception as err:  # reported by the assertions below
                outcome["error"] = err
            outcome["done"] = time.monotonic()

        client = threading.Thread(target=send_batch)
        client.start()
        time.sleep(1.0)
        assert "done" not in outcome, "the batch finished before SIGTERM: make it larger"
        terminated = time.monotonic()
        process.send_signal(signal.SIGTERM)
        client.join(timeout=300)
        exit_status = process.wait(timeout=60)
    assert "error" not in outcome, f"the request in flight failed: {outcome.get('error')!r}"
    response = outcome["response"]
    assert outcome["done"] > terminated
    assert response.status_code == 200
    assert len(response.json()) == len(texts) and all(r["error"] is None for r in response.json())
    # uvicorn finishes its graceful shutdown, then re-raises SIGTERM so the exit status tells why.
    assert exit_status in (0, -signal.SIGTERM)
    log = log_path.read_text()
    assert "Shutting down" in log and "Finished server process" in log


def test_several_workers_share_the_port(tmp_path, seed_text):
    model_dir = _resources.default_model_dir()
    with running_server(tmp_path / "server.log", "--workers", "2", "--model", str(model_dir)) as (url, process):
        with httpx.Client(base_url=url, timeout=60) as http:
            results = [http.post("/v1/classify", json={"text": seed_text}).json() for _ in range(6)]
        assert all(r == results[0] for r in results)
        assert "unreliable_data" in [reason["id"] for reason in results[0]["reasons"]]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) in (0, -signal.SIGTERM)
    log = (tmp_path / "server.log").read_text()
    assert log.count("Application startup complete") == 2  # the model was loaded by each worker


# -- the web page in a real browser ---------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="the browser test needs selenium (test extra)")
    from selenium.webdriver.chrome.service import Service

    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip(f"headless Chromium not installed ({CHROMIUM}, {CHROMEDRIVER}): "
                    "apt-get install chromium chromium-driver (done by .ci/run)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def classify_in_page(browser, url: str, text: str) -> None:
    """Paste ``text`` into the page, press Classify and wait for the results."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(url + "/")
    textarea = browser.find_element(By.ID, "notice")
    # What a paste does: the whole text arrives in the field at once, with an input event.
    browser.execute_script("arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", textarea, text)
    browser.find_element(By.ID, "classify").click()
    WebDriverWait(browser, 60).until(expected_conditions.visibility_of_element_located((By.ID, "results")))


def evidence_text(browser, reason_index: int) -> str:
    from selenium.webdriver.common.by import By

    marks = browser.find_elements(By.CSS_SELECTOR, f'#annotated mark.evidence[data-reasons~="{reason_index}"]')
    return "".join(mark.get_attribute("textContent") for mark in marks)


@pytest.mark.browser
def test_web_page_shows_reasons_evidence_and_entities(browser, server, seed_text, tmp_path):
    from selenium.webdriver.common.by import By

    expected = httpx.post(f"{server}/v1/classify", json={"text": seed_text}, timeout=60).json()
    classify_in_page(browser, server, seed_text)
    assert browser.find_element(By.ID, "notice-type").text == "Retraction"
    reasons = browser.find_elements(By.CSS_SELECTOR, "#reasons .reason")
    assert len(reasons) == len(expected["reasons"])
    assert "Unreliable data" in reasons[0].text
    assert f"{expected['reasons'][0]['score']:.2f}" in reasons[0].text
    # The evidence sentences are highlighted in the notice, exactly (offsets honoured).
    for index, reason in enumerate(expected["reasons"]):
        assert evidence_text(browser, index) == "".join(span["text"] for span in reason["evidence_spans"])
    # Every entity label is highlighted, and the legend lists exactly those labels.
    shown = {span.get_attribute("data-label") for span in browser.find_elements(By.CSS_SELECTOR, "#annotated .ent")}
    legend = {chip.get_attribute("data-label") for chip in browser.find_elements(By.CSS_SELECTOR, "#legend button[data-label]")}
    assert shown == legend == {entity["label"] for entity in expected["entities"]}
    doi = next(e for e in expected["entities"] if e["label"] == "NOTICE_DOI")
    doi_spans = browser.find_elements(By.CSS_SELECTOR, '#annotated .ent[data-label="NOTICE_DOI"]')
    assert doi["text"] in [span.get_attribute("textContent") for span in doi_spans]
    assert browser.find_element(By.ID, "annotated").get_attribute("textContent") == seed_text
    browser.save_screenshot(str(tmp_path / "page.png"))


@pytest.mark.browser
def test_web_page_escapes_text_and_counts_code_points(browser, server):
    from selenium.webdriver.common.by import By

    # Self-written: markup that must stay text, and characters outside the BMP before the evidence
    # (two UTF-16 units each in JavaScript, one code point in the offsets from the server).
    text = ("Retraction: 𝛽-catenin 🧪 signalling in zebrafish <img src=x onerror=\"document.title='owned'\">\n\n"
            "This article has been retracted at the request of the Editor-in-Chief. Several western blot "
            "bands in Figure 2 appear to be duplicated, and the authors could not provide the original data.")
    expected = httpx.post(f"{server}/v1/classify", json={"text": text}, timeout=60).json()
    assert expected["reasons"], "the example should have a reason"
    classify_in_page(browser, server, text)
    assert browser.find_elements(By.CSS_SELECTOR, "#annotated img, #reasons img") == []
    assert browser.title != "owned"
    assert browser.find_element(By.ID, "annotated").get_attribute("textContent") == text
    for index, reason in enumerate(expected["reasons"]):
        assert evidence_text(browser, index) == "".join(span["text"] for span in reason["evidence_spans"])


@pytest.mark.browser
def test_web_page_shows_the_error_message(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(server + "/")
    browser.execute_script("document.getElementById('notice').value = arguments[0];", "Retracted.\x02")
    browser.find_element(By.ID, "classify").click()
    error = WebDriverWait(browser, 30).until(expected_conditions.visibility_of_element_located((By.ID, "error")))
    assert "RR102" in error.text and "control character" in error.text
