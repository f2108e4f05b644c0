"""conftest.table_checksum, which many tests use to show a refused load changed nothing: it must notice any change."""
from __future__ import annotations

import duckdb
import pytest
from conftest import table_checksum

ROW_LIST = ["(1, 2.5, 'a', DATE '2022-04-01')", "(2, NULL, 'b', NULL)", "(2, NULL, 'b', NULL)", "(3, -1.0, NULL, DATE '2022-05-01')"]
ROWS = ", ".join(ROW_LIST)


def database(path, *statements: str):
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (id INTEGER, value DOUBLE, name VARCHAR, month DATE)")
    con.execute("CREATE TABLE other (x INTEGER)")
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


def test_the_same_rows_in_another_order_give_the_same_digest(tmp_path):
    one = database(tmp_path / "one.duckdb", f"INSERT INTO t VALUES {ROWS}")
    other = database(tmp_path / "two.duckdb", f"INSERT INTO t VALUES {', '.join(reversed(ROW_LIST))}")
    assert table_checksum(one) == table_checksum(other)


@pytest.mark.parametrize("change", [
    "UPDATE t SET value = 2.6 WHERE id = 1",
    "UPDATE t SET value = 0 WHERE id = 2",  # a NULL becoming a value
    "UPDATE t SET name = NULL WHERE id = 1",
    "UPDATE t SET id = CASE id WHEN 1 THEN 3 WHEN 3 THEN 1 END WHERE id IN (1, 3)",  # values swapped between rows
    "DELETE FROM t WHERE id = 2 AND rowid = (SELECT min(rowid) FROM t WHERE id = 2)",  # one of two duplicates
    "INSERT INTO t VALUES (1, 2.5, 'a', DATE '2022-04-01')",  # a duplicate added
    "INSERT INTO other VALUES (0)",
    "ALTER TABLE other ADD COLUMN y INTEGER",
    "CREATE TABLE added (x INTEGER)",
])
def test_any_change_changes_the_digest(tmp_path, change):
    before = table_checksum(database(tmp_path / "db.duckdb", f"INSERT INTO t VALUES {ROWS}"))
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    con.execute(change)
    con.close()
    assert table_checksum(tmp_path / "db.duckdb") != before
