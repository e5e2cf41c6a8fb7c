"""The benchmark's attribution of py-spy samples to libraries (bench/request_profile.py)."""
from bench.request_profile import OTHER, WAITING, category, shares

ROOT = "<module> (gunicorn:8);SyncWorker.handle (gunicorn/workers/sync.py:141)"


def test_innermost_known_frame_decides():
    stack = [*ROOT.split(";"), "Schema.load (marshmallow/schema.py:700)",
             "EnumType.__call__ (enum.py:712)"]
    assert category(stack) == "marshmallow / webargs (load, dump)"


def test_project_files_are_recognised_by_their_absolute_path():
    stack = [*ROOT.split(";"), "wrapper (/srv/app/service/api/caching.py:63)"]
    assert category(stack) == "service edge (hooks, cache, views)"
    stack.append("evaluate (/srv/app/service/domain/evaluate.py:20)")
    assert category(stack) == "domain (evaluation, plans)"


def test_unknown_frames_alone_are_other():
    assert category(["main (script.py:1)"]) == OTHER


def test_the_close_wait_is_a_share_of_all_samples_and_left_out_of_the_rest():
    raw = "\n".join([
        f"{ROOT};close_graceful (gunicorn/util.py:312) 2",
        f"{ROOT};loads (json/__init__.py:346) 3",
        f"{ROOT};Flask.wsgi_app (flask/app.py:1479) 1",
        "not a sample line",
    ])
    result = shares(raw)
    assert result[WAITING] == 2 / 6
    assert result["stdlib json (parse, encode)"] == 3 / 4
    assert result["Flask / Werkzeug / flask-smorest"] == 1 / 4
