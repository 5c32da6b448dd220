"""The schema exists only through migrations, and they match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from matchmaker.extensions import db


def test_upgrade_on_empty_database_matches_models(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)

    assert diff == []


def test_flask_db_check_is_clean(app):
    # `db check` exits 1 when autogenerate finds any difference.
    result = app.test_cli_runner().invoke(args=["db", "check"])

    assert result.exit_code == 0, result.output


def test_no_engine_module_imports_flask_or_sqlalchemy():
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, sys, matchmaker.engine as e\n"
        "for m in pkgutil.walk_packages(e.__path__, 'matchmaker.engine.'):\n"
        "    m.name.endswith('__main__') or importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'flask_sqlalchemy', 'werkzeug'))\n"
        "print(len([m for m in sys.modules if m.startswith('matchmaker.engine.')]), bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    count, bad = result.stdout.strip().split(" ", 1)
    assert int(count) >= 11  # every module was imported, not only the package
    assert bad == "[]"


def test_services_use_no_flask_globals():
    import ast
    from pathlib import Path

    import matchmaker.services as services

    found = []
    for path in sorted(Path(services.__path__[0]).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                "flask",
                "flask_login",
                "flask_mail",
                "werkzeug",
            ):
                found.append(f"{path.name}: from {node.module} import ...")
            elif isinstance(node, ast.Import) and any(
                a.name.split(".")[0] in ("flask", "flask_login") for a in node.names
            ):
                found.append(f"{path.name}: import {node.names[0].name}")

    assert found == []


def test_upgrading_a_database_with_rows_keeps_them(tmp_path):
    # SQLite batch changes copy and drop tables; with foreign keys on, a drop would cascade.
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from matchmaker import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade(revision="c330202dc6b9")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO events (id, slug, name, description, venue, timezone, starts_on,"
                    " ends_on, join_token, max_meetings, group_size_min, group_size_max,"
                    " created_at) VALUES (1, 'x', 'X', '', '', 'UTC', '2030-01-01', '2030-01-01',"
                    " 'tok', 6, 3, 6, '2030-01-01')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO slots (event_id, starts_at, ends_at, format, label)"
                    " VALUES (1, '2030-01-01 10:00', '2030-01-01 10:20', 'one_to_one', '')"
                )
            )
        upgrade()
        downgrade(revision="c330202dc6b9")
        upgrade()
        with db.engine.connect() as conn:
            counts = [
                conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in ("events", "slots")
            ]
        db.engine.dispose()

    assert counts == [1, 1]


def test_services_commit_only_where_a_job_or_a_separate_write_ends():
    """Services flush; the request, the command or the job commits (docs/transactions.md).
    The bodies of jobs commit their start, progress and end; `reads.writing` commits the
    write a reading page makes in its own transaction."""
    import ast
    from pathlib import Path

    import matchmaker.services as services

    allowed = {"execute_run", "_reporter", "report", "execute_export", "embed_saved_profile",
               "fail_job", "writing", "claim_due", "deliver_due"}  # fmt: skip
    found = []
    for path in sorted(Path(services.__path__[0]).rglob("*.py")):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef) or func.name in allowed:
                continue
            inner = {id(n) for f in ast.walk(func) if isinstance(f, ast.FunctionDef) and
                     f is not func for n in ast.walk(f)}  # fmt: skip
            for node in ast.walk(func):
                if (isinstance(node, ast.Attribute) and node.attr == "commit"
                        and id(node) not in inner):  # fmt: skip
                    found.append(f"{path.name}: {func.name}")

    assert found == []
