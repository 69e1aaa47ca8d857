"""An existing database migrates forward without loss (issue 16).

The "before" database is made by the code of BASE_COMMIT, checked out in a temporary git worktree:
its migrations, its demo seed, its ORM reading the rows back. Then today's tree migrates that database
and reads the same rows through today's models. Every row of every commerce, label, seller and product
table must still be there with the same values, every label chain must still verify, the groups' permissions
must still point at live models, and a moved model must have one content type (its audit log with it).

Runs on SQLite, and on the PostgreSQL server of DATABASE_URL when that is a postgres:// URL (a throwaway
database is created beside the one the suite uses, and dropped at the end).
"""

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.migration

# The last commit before the restructure of issue 16 (main's head when it started). Fixed, not "the
# previous release", so the test always proves the same thing: a database made by the code people ran
# before the restructure migrates forward. Replace it only with a commit whose database must be
# migratable too, never to make the test pass.
BASE_COMMIT = "d338e92657328ab7c4a8dc8756d1a125b4d6279d"

REPO = Path(__file__).resolve().parents[2]
READ_FACTS = Path(__file__).with_name("read_facts.py")
SEED_ARGS = ["--products", "12", "--history-months", "3"]
# Settings that would reach a service the test does not start; without them the settings fall back to
# local memory, eager tasks and the database search backend.
ENV_DROPPED = ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL", "EMAIL_URL",
               "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "PYTEST_XDIST_WORKER")


def _run(args, *, cwd, env, what):
    started = time.monotonic()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        pytest.fail(f"{what} failed (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}",
                    pytrace=False)
    return time.monotonic() - started


def _manage(tree: Path, *args, env, what):
    # manage.py picks each tree's own settings module (DJANGO_SETTINGS_MODULE is removed from env).
    return _run([sys.executable, str(tree / "manage.py"), *args], cwd=tree, env=env, what=what)


def _read_facts(tree: Path, out: Path, *, env, what, seed_payment=False):
    env = {**env, "MIGRATION_FACTS_OUT": str(out)}
    if seed_payment:
        env["MIGRATION_FACTS_SEED_PAYMENT"] = "1"
    _manage(tree, "shell", "-c", f"import runpy; runpy.run_path({str(READ_FACTS)!r})", env=env, what=what)
    return json.loads(out.read_text(encoding="utf-8"))


@contextlib.contextmanager
def _base_worktree(tmp: Path):
    found = subprocess.run(["git", "cat-file", "-e", f"{BASE_COMMIT}^{{commit}}"], cwd=REPO,
                           capture_output=True, check=False)
    if found.returncode != 0:
        pytest.fail(f"commit {BASE_COMMIT} is not in this clone: the migration test needs the project's full "
                    "history (git fetch --unshallow)", pytrace=False)
    before = tmp / "before"
    _run(["git", "worktree", "add", "--detach", str(before), BASE_COMMIT], cwd=REPO, env=os.environ,
         what="git worktree add")
    try:
        yield before
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=REPO, capture_output=True,
                       check=False)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, capture_output=True, check=False)


@contextlib.contextmanager
def _throwaway_database(tmp: Path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp / 'migration.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"souk_migration_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _migrate_forward(tmp: Path) -> dict:
    """Make, seed and read a database with BASE_COMMIT's code, migrate it with today's, read it again."""
    timings = {}
    with _base_worktree(tmp) as before, _throwaway_database(tmp) as database_url:
        env = {key: value for key, value in os.environ.items() if key not in ENV_DROPPED}
        env.update(DATABASE_URL=database_url, DATABASE_CONN_MAX_AGE="0", CELERY_TASK_ALWAYS_EAGER="true",
                   MEDIA_ROOT=str(tmp / "media"), PRIVATE_MEDIA_ROOT=str(tmp / "private-media"),
                   PYTHONDONTWRITEBYTECODE="1")
        timings["old migrate"] = _manage(before, "migrate", "--no-input", env=env, what="migrate at the base commit")
        timings["old seed"] = _manage(before, "seed_demo", *SEED_ARGS, env=env, what="seed_demo at the base commit")
        old = _read_facts(before, tmp / "before.json", env=env, what="reading the old database with the old code",
                          seed_payment=True)
        timings["new migrate"] = _manage(REPO, "migrate", "--no-input", env=env, what="migrate with today's code")
        new = _read_facts(REPO, tmp / "after.json", env=env, what="reading the migrated database with today's code")
    return {"before": old, "after": new, "timings": timings}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, worker_id):
    """The facts before and after, computed once per test run: under pytest-xdist the first worker computes
    them under a file lock and the others read its JSON."""
    if worker_id == "master":
        tmp = Path(tempfile.mkdtemp(prefix="souk-migration-"))
        try:
            return _migrate_forward(tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    shared = tmp_path_factory.getbasetemp().parent
    result = shared / "migration-facts.json"
    with open(shared / "migration-facts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            tmp = Path(tempfile.mkdtemp(prefix="souk-migration-"))
            try:
                facts = _migrate_forward(tmp)
            except pytest.fail.Exception as failure:
                # The other workers report the same failure instead of running it all again.
                result.write_text(json.dumps({"failure": str(failure)}), encoding="utf-8")
                raise
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            result.write_text(json.dumps(facts), encoding="utf-8")
    facts = json.loads(result.read_text(encoding="utf-8"))
    if "failure" in facts:
        pytest.fail(facts["failure"], pytrace=False)
    return facts


def _lost_or_changed(old_rows: dict, new_rows: dict) -> list[str]:
    problems = []
    for pk, old_row in old_rows.items():
        new_row = new_rows.get(pk)
        if new_row is None:
            problems.append(f"row {pk} is gone")
            continue
        for column, value in old_row.items():
            if column not in new_row:
                problems.append(f"row {pk}: column {column} is gone")
            elif new_row[column] != value:
                problems.append(f"row {pk}: {column} was {value!r}, is {new_row[column]!r}")
    return problems


class TestOldDatabaseMigratesForward:
    def test_the_base_database_has_rows_of_every_kind(self, migrated):
        empty = [name for name, facts in migrated["before"]["models"].items() if facts["count"] == 0]
        for needed in ("Seller", "Product", "ProductPage", "Order", "SellerOrder", "SellerPayout", "Payment",
                       "ExchangeRate", "LabelCertificate", "LabelEvent"):
            assert needed not in empty, f"the base database has no {needed}: the test would prove nothing for it"

    def test_every_row_is_kept_with_its_values(self, migrated):
        before, after = migrated["before"]["models"], migrated["after"]["models"]
        problems = {}
        for name, old in before.items():
            new = after[name]
            lost = _lost_or_changed(old["rows"], new["rows"])
            if new["count"] != old["count"]:
                lost.insert(0, f"{old['count']} rows before, {new['count']} after")
            for field, pairs in old["many_to_many"].items():
                if new["many_to_many"].get(field) != pairs:
                    lost.append(f"many-to-many {field} changed")
            if lost:
                where = f"{old['app_label']}.{name} ({old['table']}) -> {new['app_label']}.{name} ({new['table']})"
                problems[where] = lost[:10]
        assert not problems, "data lost or changed by the migration:\n" + json.dumps(problems, indent=1,
                                                                                      ensure_ascii=False)

    def test_every_label_chain_still_verifies(self, migrated):
        before, after = migrated["before"]["label_chain"], migrated["after"]["label_chain"]
        assert before["intact"], f"the base database's chains were already broken: {before['report']}"
        assert after["intact"], f"verify_label_chain after the migration: {after['report']}"
        assert after["report"] == before["report"]

    def test_groups_keep_their_permissions_on_live_models(self, migrated):
        before, after = migrated["before"]["groups"], migrated["after"]["groups"]
        assert sorted(after) == sorted(before), "groups were added or lost"
        # Models that existed at the base commit (by their lower-case name, as content types name them).
        known_models = {name.lower() for name in migrated["before"]["models"]}
        for group, old_perms in before.items():
            old = {(perm["model"], perm["codename"]) for perm in old_perms}
            new = {(perm["model"], perm["codename"]) for perm in after[group]}
            assert not old - new, f"group {group!r} lost permissions: {sorted(old - new)}"
            # A later migration may grant a group permissions on models made since, never on older ones.
            gained_on_old_models = sorted(perm for perm in new - old if perm[0] in known_models)
            assert not gained_on_old_models, f"group {group!r} gained permissions on old models: {gained_on_old_models}"
            # Some permissions belong to no model (Wagtail's access_admin); none may lose its model.
            had_model = {(perm["model"], perm["codename"]) for perm in old_perms if perm["resolves"]}
            dangling = [f"{perm['app_label']}.{perm['codename']}" for perm in after[group]
                        if (perm["model"], perm["codename"]) in had_model and not perm["resolves"]]
            assert not dangling, f"group {group!r} holds permissions of a content type with no model: {dangling}"

    def test_a_moved_model_has_one_content_type_and_keeps_its_audit_log(self, migrated):
        before, after = migrated["before"]["models"], migrated["after"]["models"]
        for name, new in after.items():
            assert new["content_types"] == [new["app_label"]], (
                f"{name}: content types under {new['content_types']}, the model lives in {new['app_label']}"
            )
            assert new["log_entries"] == before[name]["log_entries"], (
                f"{name}: {before[name]['log_entries']} audit log entries before, {new['log_entries']} after"
            )
