"""Charts drawn by one shared renderer process (a room's kernels), or in-process (Lab, reports, tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from mlops_workbook.charts import engine

SPEC = {
    "data": {"values": [{"a": 1, "b": "x"}, {"a": 3, "b": "y"}]},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "nominal"}},
}


@pytest.fixture(scope="module")
def renderer():
    running = engine.start_renderer()
    yield running
    running.stop()


def _run(code: str, env: dict[str, str]) -> str:
    """Run ``code`` in a fresh Python (as a kernel would be) and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_a_process_with_the_renderer_draws_charts_without_loading_vl_convert(renderer):
    out = _run(
        f"""
        import sys
        from mlops_workbook.charts import engine
        svg = engine.vegalite_to_svg({SPEC!r}, "5.20")
        png = engine.vegalite_to_png({SPEC!r}, "5.20", scale=1.0)
        print(svg.startswith("<svg"), png[:4] == b"\\x89PNG", "vl_convert" in sys.modules)
        """,
        {engine.RENDERER_ENV: renderer.address},
    )
    assert out.split() == ["True", "True", "False"]


@pytest.mark.slow  # starts processes and waits on them: run by `make test`, left out of `make test-fast`
def test_the_renderer_draws_the_same_svg_as_vl_convert_in_process(renderer, monkeypatch):
    monkeypatch.delenv(engine.RENDERER_ENV, raising=False)
    here = engine.vegalite_to_svg(SPEC, "5.20")
    monkeypatch.setenv(engine.RENDERER_ENV, renderer.address)
    assert engine.vegalite_to_svg(SPEC, "5.20") == here
    assert ">x<" in here and ">y<" in here  # the data's labels are drawn


@pytest.mark.slow  # starts processes and waits on them: run by `make test`, left out of `make test-fast`
def test_a_spec_the_renderer_refuses_is_a_value_error_not_a_fallback(renderer, monkeypatch):
    monkeypatch.setenv(engine.RENDERER_ENV, renderer.address)
    monkeypatch.setattr(engine, "_in_process_svg", lambda *a: pytest.fail("fell back to in-process"))
    with pytest.raises(ValueError, match="conversion failed"):
        engine.vegalite_to_svg({"mark": 5}, "5.20")


def test_without_an_answering_renderer_charts_are_drawn_in_process_with_one_warning(tmp_path, monkeypatch):
    monkeypatch.setenv(engine.RENDERER_ENV, str(tmp_path / "nobody.sock"))
    monkeypatch.setattr(engine, "CONNECT_WAIT", 0.2)
    monkeypatch.setattr(engine, "_unavailable", set())
    with pytest.warns(UserWarning, match="unavailable"):
        svg = engine.vegalite_to_svg(SPEC, "5.20")
    assert svg.startswith("<svg")
    # once a renderer did not answer, later charts do not wait for it again (each wait was CONNECT_WAIT, 10 s)
    monkeypatch.setattr(engine, "request_conversion", lambda *a: pytest.fail("asked the silent renderer again"))
    assert engine.vegalite_to_svg(SPEC, "5.20").startswith("<svg")


@pytest.mark.slow  # starts processes and waits on them: run by `make test`, left out of `make test-fast`
def test_the_renderer_stops_when_the_process_that_started_it_ends():
    out = _run(
        """
        from mlops_workbook.charts import engine
        print(engine.start_renderer().process.pid)
        """,
        {},
    )
    pid = int(out)
    deadline = time.monotonic() + 15
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the renderer outlived the process that started it"
        time.sleep(0.2)


@pytest.mark.slow  # starts processes and waits on them: run by `make test`, left out of `make test-fast`
def test_stop_ends_the_renderer_and_removes_its_private_socket_folder():
    running = engine.start_renderer()
    folder = os.path.dirname(running.address)
    assert oct(os.stat(folder).st_mode & 0o777) == "0o700"
    assert engine.request_conversion(running.address, {"format": "svg", "spec": SPEC, "vl_version": "5.20"})["svg"]
    running.stop()
    assert running.process.poll() is not None and not os.path.exists(folder)


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_the_workbook_charts_go_through_the_renderer_when_there_is_one(renderer):
    # A room's kernel: warm-up and a real chart must not start vl-convert's engine in the kernel (68 MB each).
    out = _run(
        """
        import sys
        import altair as alt
        from mlops_workbook import charts
        charts.warm_up()
        chart = alt.Chart(alt.InlineData(values=[{"a": 2}])).mark_bar().encode(x=alt.X("a:Q"))
        print(charts.to_svg(chart).startswith("<svg"), "vl_convert" in sys.modules)
        """,
        {engine.RENDERER_ENV: renderer.address},
    )
    assert out.split() == ["True", "False"]
