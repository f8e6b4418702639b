"""The HTTP service through the ASGI test client: every endpoint, every error, the web page."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

fastapi = pytest.importorskip("fastapi", reason="the HTTP service needs the api extra (FastAPI, uvicorn)")
import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

import retraction_reasons as rr  # noqa: E402
from retraction_reasons.cli import main  # noqa: E402
from retraction_reasons.server import MAX_BATCH_TEXTS, MAX_BODY_BYTES, create_app  # noqa: E402
from retraction_reasons.validation import MAX_NOTICE_CHARS  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def client(nlp):
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    """The response is the error JSON with ``status`` and ``code``; returns its message."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert message and "Traceback" not in message and 'File "' not in message
    return message


# -- endpoints -------------------------------------------------------------------------------


def test_health_names_the_model(client, nlp):
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "model": {"name": nlp.meta["name"], "version": nlp.meta["version"]}}


def test_model_endpoint_is_model_info(client, nlp):
    response = client.get("/v1/model")
    assert response.status_code == 200
    info = response.json()
    assert info == json.loads(json.dumps(rr.model_info(nlp)))
    assert set(info["thresholds"]) == set(info["labels"]) == set(info["label_names"])
    assert "micro" in info["metrics"]["model"]


def test_classify_seed_notice_is_the_python_result(client, nlp, seed_text):
    response = client.post("/v1/classify", json={"text": seed_text})
    assert response.status_code == 200
    result = response.json()
    assert result == rr.classify(seed_text, model=nlp).to_dict()
    assert result["notice_type"] == "retraction"
    assert "unreliable_data" in [reason["id"] for reason in result["reasons"]]
    for reason in result["reasons"]:
        for span in reason["evidence_spans"]:
            assert seed_text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_classify_example_notices(client, nlp, name):
    text = example(name)
    response = client.post("/v1/classify", json={"text": text})
    assert response.status_code == 200
    assert response.json() == rr.classify(text, model=nlp).to_dict()


def test_batch_returns_results_in_input_order(client, nlp, notices):
    texts = [row["text"] for row in list(notices.values())[:40]]
    texts = texts[::-1]  # any order comes back as sent
    response = client.post("/v1/classify/batch", json={"texts": texts})
    assert response.status_code == 200
    assert response.json() == [result.to_dict() for result in rr.classify_many(texts, model=nlp)]


def test_batch_of_the_largest_size_and_empty_batch(client, unlabelled_notices):
    texts = [row["text"] for row in unlabelled_notices.values()][:MAX_BATCH_TEXTS]
    assert len(texts) == MAX_BATCH_TEXTS
    response = client.post("/v1/classify/batch", json={"texts": texts})
    assert response.status_code == 200
    results = response.json()
    assert len(results) == MAX_BATCH_TEXTS
    assert all(r["error"] is None and set(r["scores"]) == set(results[0]["scores"]) for r in results)
    assert client.post("/v1/classify/batch", json={"texts": []}).json() == []


def test_non_english_notice_is_not_an_error(client):
    text = ("Rétractation : cet article a été retiré à la demande des auteurs, car les données de la "
            "figure 2 ne peuvent pas être reproduites. Les auteurs présentent leurs excuses aux lecteurs.")
    response = client.post("/v1/classify", json={"text": text})
    assert response.status_code == 200
    assert response.json() == rr.classify(text).to_dict()


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_422(client, text):
    message = assert_error(client.post("/v1/classify", json={"text": text}), 422, "RR101")
    assert "'text'" in message


def test_empty_text_in_a_batch_names_its_position(client):
    response = client.post("/v1/classify/batch", json={"texts": [example("plagiarism.txt"), " "]})
    assert "texts[1]" in assert_error(response, 422, "RR101")


def test_text_over_the_character_limit_is_422(client):
    text = "word " * (MAX_NOTICE_CHARS // 5) + "x"
    assert len(json.dumps({"text": text})) < MAX_BODY_BYTES  # within the body limit: the text limit applies
    message = assert_error(client.post("/v1/classify", json={"text": text}), 422, "RR103")
    assert f"{MAX_NOTICE_CHARS:,}" in message


def test_batch_over_the_limit_is_422(client):
    response = client.post("/v1/classify/batch", json={"texts": ["Retracted."] * (MAX_BATCH_TEXTS + 1)})
    message = assert_error(response, 422, "RR412")
    assert str(MAX_BATCH_TEXTS) in message and f"{MAX_BATCH_TEXTS + 1}" in message


def test_body_over_the_limit_is_413(client):
    body = json.dumps({"text": "a" * (MAX_BODY_BYTES + 1)}).encode()
    assert_error(client.post("/v1/classify", content=body, headers=JSON), 413, "RR413")


def test_streamed_body_over_the_limit_is_413(client):
    sent = []

    def chunks():  # no Content-Length: the body is counted as it arrives
        yield b'{"text": "'
        for _ in range(64):
            sent.append(1)
            yield b"a" * 65536
        yield b'"}'

    response = client.post("/v1/classify/batch", content=chunks(), headers=JSON)
    assert_error(response, 413, "RR413")
    assert "content-length" not in response.request.headers


def test_malformed_json_is_400(client):
    for body in ('{"text": "unterminated', "{text: 1}", "[1, 2,"):
        assert_error(client.post("/v1/classify", content=body, headers=JSON), 400, "RR410")


@pytest.mark.parametrize("body", [{"text": 5}, {"text": None}, {"txt": "Retracted."}, ["Retracted."],
                                  "Retracted.", {"texts": "not a list"}])
def test_body_not_matching_the_schema_is_422(client, body):
    url = "/v1/classify/batch" if isinstance(body, dict) and "texts" in body else "/v1/classify"
    assert_error(client.post(url, json=body), 422, "RR411")


def test_body_that_is_not_json_is_422(client):
    assert_error(client.post("/v1/classify", content="text=Retracted", headers={"Content-Type": "text/plain"}),
                 422, "RR411")
    assert_error(client.post("/v1/classify"), 422, "RR411")


def test_control_characters_and_lone_surrogates_are_not_text(client):
    assert "U+0002" in assert_error(client.post("/v1/classify", json={"text": "Retracted.\x02"}), 422, "RR102")
    # "\ud800" is valid JSON but not Unicode text; it could not be written back as UTF-8.
    body = b'{"text": "Retracted because of \\ud800 errors."}'
    assert "surrogate" in assert_error(client.post("/v1/classify", content=body, headers=JSON), 422, "RR102")


def test_unknown_path_and_method_are_json_errors(client):
    assert "/v1/nothing" in assert_error(client.get("/v1/nothing"), 404, "RR414")
    response = client.put("/v1/classify", json={"text": "Retracted."})
    assert_error(response, 405, "RR414")
    assert "POST" in response.headers["allow"]


def test_unexpected_failure_is_500_without_a_trace(nlp):
    app = create_app()

    async def broken() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/v1/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/v1/broken")
    message = assert_error(response, 500, "RR500")
    assert "secret internal detail" not in response.text and "RuntimeError" not in response.text
    assert "log" in message


# -- serving ---------------------------------------------------------------------------------


async def _with_running_app(app, scenario):
    """Run ``scenario(http)`` against ``app`` with its lifespan, all in one event loop."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as http:
            return await scenario(http)


def test_classification_runs_off_the_event_loop(nlp, unlabelled_notices, seed_text):
    """While a large batch is classified, the same worker still answers other requests, and a
    single notice sent meanwhile does not wait for the whole batch."""
    texts = [row["text"] for row in unlabelled_notices.values()][:MAX_BATCH_TEXTS]

    async def scenario(http):
        batch = asyncio.create_task(http.post("/v1/classify/batch", json={"texts": texts}))
        await asyncio.sleep(0.05)
        single = await http.post("/v1/classify", json={"text": seed_text})
        single_before_batch = not batch.done()
        answered_during_batch = 0
        while not batch.done():
            health = await http.get("/v1/health")
            assert health.status_code == 200
            if not batch.done():
                answered_during_batch += 1
            await asyncio.sleep(0.02)
        return (await batch), single, single_before_batch, answered_during_batch

    batch, single, single_before_batch, answered = asyncio.run(_with_running_app(create_app(), scenario))
    assert batch.status_code == 200 and len(batch.json()) == len(texts)
    assert single.json() == rr.classify(seed_text, model=nlp).to_dict()
    assert single_before_batch, "a single notice waited for the whole batch"
    assert answered >= 2, "health checks were not answered while the batch was being classified"


def test_concurrent_requests_each_get_their_own_results(nlp, notices):
    """Concurrent requests share model calls; every response still belongs to its request."""
    texts = [row["text"] for row in notices.values()][:48]

    async def scenario(http):
        singles = [http.post("/v1/classify", json={"text": text}) for text in texts[:40]]
        batches = [http.post("/v1/classify/batch", json={"texts": texts[i:i + 4]}) for i in range(40, 48, 4)]
        return await asyncio.gather(*singles, *batches)

    responses = asyncio.run(_with_running_app(create_app(), scenario))
    got = [r.json() for r in responses[:40]] + [result for r in responses[40:] for result in r.json()]
    assert got == [result.to_dict() for result in rr.classify_many(texts, model=nlp)]


def test_web_page_is_self_contained(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    for directive in ("script-src", "style-src"):
        assert re.search(rf"{directive} 'sha256-[A-Za-z0-9+/=]+'", policy)
    # Nothing is loaded from elsewhere: no external scripts, styles, fonts or images.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page and "<script src" not in page
    assert "{{" not in page  # the example notice was filled in, escaped
    assert "Retraction: Loss of FOXB7 impairs mitochondrial repair" in page
    assert 'id="notice"' in page and "/v1/classify" in page
    assert ".innerHTML" not in page  # all text is set through textContent


def test_openapi_documents_endpoints_errors_and_examples(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"/v1/classify", "/v1/classify/batch", "/v1/health", "/v1/model"} <= set(paths)
    classify = paths["/v1/classify"]["post"]
    for status in ("400", "413", "422"):
        assert classify["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    examples = classify["requestBody"]["content"]["application/json"]["examples"]
    assert example("image_duplication.txt").strip() in [e["value"]["text"] for e in examples.values()]
    text_schema = schema["components"]["schemas"]["ClassifyRequest"]["properties"]["text"]
    assert text_schema["maxLength"] == MAX_NOTICE_CHARS and text_schema["minLength"] == 1
    batch = schema["components"]["schemas"]["BatchRequest"]["properties"]["texts"]
    assert batch["maxItems"] == MAX_BATCH_TEXTS
    docs = client.get("/docs")
    assert docs.status_code == 200 and "openapi.json" in docs.text


def test_serve_refuses_bad_settings_before_starting(tmp_path, capsys):
    for workers in ("1", "2"):
        assert main(["serve", "--model", str(tmp_path / "no-model"), "--workers", workers]) == 2
        assert "RR201" in capsys.readouterr().err
    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
