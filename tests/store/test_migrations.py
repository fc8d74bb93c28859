"""The migrations build, on an empty database, exactly the schema the models describe."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, Table, inspect, text

from store.db import alembic_config, upgrade_to_head
from store.models import Base


def head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def differences(engine: Engine, metadata: MetaData) -> list:
    with engine.connect() as connection:
        return compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), metadata
        )


def schema(engine: Engine) -> dict:
    """Tables with their columns, indexes, unique constraints and foreign keys, as the database reports them."""
    inspector = inspect(engine)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted(str(sorted(i.items())) for i in inspector.get_indexes(table)),
            sorted(str(sorted(u.items())) for u in inspector.get_unique_constraints(table)),
            sorted(str(sorted(f.items())) for f in inspector.get_foreign_keys(table)),
        )
        for table in sorted(inspector.get_table_names())
    }


def test_an_empty_database_upgrades_to_head_with_every_model_table(engine: Engine) -> None:
    assert inspect(engine).get_table_names() == []
    assert revision(engine) is None

    upgrade_to_head(engine)

    assert revision(engine) == head()
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    upgrade_to_head(engine)

    assert differences(engine, Base.metadata) == []


def test_the_comparison_would_see_a_model_the_migrations_lack(engine: Engine) -> None:
    """Guards the test above: compare_metadata really looks at this database."""
    upgrade_to_head(engine)
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("not_migrated", metadata, Column("id", Integer, primary_key=True))
    metadata.tables["notices"].append_column(Column("not_migrated_either", Integer))

    found = differences(engine, metadata)

    # ("add_table", Table) and ("add_column", schema, table name, Column)
    assert sorted((d[0], d[-1].name) for d in found) == [
        ("add_column", "not_migrated_either"),
        ("add_table", "not_migrated"),
    ]


def test_upgrading_twice_changes_nothing(engine: Engine, empty_url: str) -> None:
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('k', '{}', 'test', CURRENT_TIMESTAMP)"
            )
        )
    before = schema(engine)

    upgrade_to_head(engine)
    command.upgrade(alembic_config(empty_url), "head")  # alembic itself, outside waiwen's shortcut

    assert revision(engine) == head()
    assert schema(engine) == before
    with engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM settings")).scalars().all() == ["k"]
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1


def test_counted_texts_are_filled_from_earlier_publications(engine: Engine, empty_url: str) -> None:
    """Migration 0002 counts what was published before the ledger existed, by the ledger's rules."""
    config = alembic_config(empty_url)
    command.upgrade(config, "0001")
    en_v1 = (
        '{"latin_words": 10, "cjk_characters": 0, "characters_no_spaces": 50, "korean_words": 0}'
    )
    en_v2 = (
        '{"latin_words": 12, "cjk_characters": 0, "characters_no_spaces": 60, "korean_words": 0}'
    )
    ja_v1 = (
        '{"latin_words": 0, "cjk_characters": 30, "characters_no_spaces": 33, "korean_words": 0}'
    )
    statements = [
        'INSERT INTO notices (id, key, title, "column", category, created_at)'
        " VALUES (1, 'k1', '通知', '要闻动态', '动态类', '2025-12-30 00:00:00')",
        *(
            "INSERT INTO notice_versions (id, notice_id, number, content_hash, source_path, title,"
            " body, front_matter, formed_on, urgency, languages, channels, state, queued_at, queued_by)"
            f" VALUES ({n}, 1, {n}, 'hash{n}', 'n.md', '通知', 'b', '{{}}', '2025-12-30', 'normal',"
            " '[\"en\", \"ja\"]', '[\"site\", \"wechat\"]', 'in_review', '2025-12-30 00:00:00', 'e')"
            for n in (1, 2)
        ),
        *(
            "INSERT INTO language_versions (id, version_id, language, state, measures, updated_at)"
            f" VALUES ({i}, {v}, '{lang}', 'published', '{m}', '2025-12-30 00:00:00')"
            for i, v, lang, m in (
                (1, 1, "zh", en_v1),
                (2, 1, "en", en_v1),
                (3, 1, "ja", ja_v1),
                (4, 2, "en", en_v2),
            )
        ),
        *(
            "INSERT INTO publications (id, language_version_id, channel, state, location, detail,"
            f" published_at) VALUES ({i}, {lv}, '{channel}', '{state}', '', '', '{at}')"
            for i, lv, channel, state, at in (
                (1, 1, "site", "published", "2025-12-31 10:00:00"),
                # 17:00 UTC on 31 December is 1 January in Shanghai: the notice counts in 2026.
                (2, 2, "site", "published", "2025-12-31 17:00:00"),
                (3, 2, "wechat", "not_configured", "2025-12-31 16:00:00"),
                (4, 3, "site", "published", "2026-01-02 02:00:00"),
                (5, 4, "site", "published", "2026-02-01 02:00:00"),
            )
        ),
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))

    command.upgrade(config, "head")

    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT language, version, published_on, year, month, latin_words,"
                " characters_no_spaces, state, lead FROM counted_texts ORDER BY language"
            )
        ).all()
    assert [(r[0], r[1], str(r[2]), r[3], r[4], r[5], r[6], r[7], bool(r[8])) for r in rows] == [
        ("en", 2, "2026-01-01", 2026, 1, 12, 60, "counted", True),
        ("ja", 1, "2026-01-01", 2026, 1, 0, 33, "counted", False),
    ]


def test_texts_counted_before_0010_keep_their_measures_and_have_no_words(
    engine: Engine, empty_url: str
) -> None:
    """Migration 0010 adds `words` (office-2020 v2) as unknown, not 0, and changes nothing else."""
    config = alembic_config(empty_url)
    command.upgrade(config, "0009")
    with engine.begin() as connection:
        connection.execute(
            text(
                'INSERT INTO counted_texts (notice_key, language, title, "column", published_on,'
                " year, month, version, source, content_hash, latin_words, cjk_characters,"
                " characters_no_spaces, korean_words, lead, state, updated_at) VALUES ('k', 'ko',"
                " '通知', '要闻动态', '2025-03-03', 2025, 3, 1, 'version 1', 'h', 4, 520, 600, 110,"
                " true, 'counted', '2025-03-03 00:00:00')"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT latin_words, cjk_characters, characters_no_spaces, korean_words, words"
                " FROM counted_texts"
            )
        ).one()
    assert tuple(row) == (4, 520, 600, 110, None)
    [report_index] = [
        i
        for i in inspect(engine).get_indexes("counted_texts")
        if i["name"] == "ix_counted_texts_report"
    ]
    assert report_index["column_names"][-2:] == ["words", "lead"]
    command.downgrade(config, "0009")
    assert "words" not in {c["name"] for c in inspect(engine).get_columns("counted_texts")}


def test_language_versions_drafted_before_0011_have_spent_nothing(
    engine: Engine, empty_url: str
) -> None:
    """Migration 0011 adds the usage columns as 0 to every language version, and drops them again."""
    config = alembic_config(empty_url)
    command.upgrade(config, "0010")
    with engine.begin() as connection:
        connection.execute(
            text(
                'INSERT INTO notices (key, title, "column", category, created_at) VALUES'
                " ('k', '通知', '要闻动态', '动态类', '2026-01-05 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO notice_versions (notice_id, number, content_hash, source_path, title,"
                " body, front_matter, formed_on, urgency, languages, channels, state, queued_by,"
                " queued_at) VALUES (1, 1, 'h', 'n.md', '通知', '正文。', '{}', '2026-01-05',"
                " 'normal', '[\"en\"]', '[\"site\"]', 'in_review', '编辑甲', '2026-01-05 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO language_versions (version_id, language, state, updated_at) VALUES"
                " (1, 'en', 'in_review', '2026-01-05 00:00:00')"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT language, prompt_tokens, completion_tokens, engine_requests"
                " FROM language_versions"
            )
        ).one()
    assert tuple(row) == ("en", 0, 0, 0)
    command.downgrade(config, "0010")
    columns = {c["name"] for c in inspect(engine).get_columns("language_versions")}
    assert not columns & {"prompt_tokens", "completion_tokens", "engine_requests"}
    assert "state" in columns
