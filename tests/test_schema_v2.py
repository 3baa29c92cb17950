"""The JSON Schema and the loader cannot drift: the same keys, the same required ones, the same
reserved words; and the schema accepts every format-2 story the loader accepts."""

import json

import jsonschema
import pytest
import yaml

from game.story import loader
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "game" / "data" / "story.schema.json").read_text())
DEFS = SCHEMA["definitions"]
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def required(table: dict) -> set:
    return {k for k, needed in table.items() if needed}


@pytest.mark.parametrize("schema, table", [
    (SCHEMA, loader.HEADER_KEYS_V2),
    (DEFS["meter"], loader.METER_KEYS_V2),
    (DEFS["scene"], loader.SCENE_KEYS_V2),
    (DEFS["choice"], loader.CHOICE_KEYS_V2),
    (DEFS["ending"], loader.ENDING_KEYS),
    (DEFS["paragraph"]["oneOf"][1], loader.TEXT_ITEM_KEYS),
], ids=["story", "meter", "scene", "choice", "ending", "text item"])
def test_the_schema_has_exactly_the_loaders_keys(schema, table):
    assert set(schema["properties"]) == set(table)
    needed = set(schema.get("required", ())) | set(schema.get("then", {}).get("required", ()))
    assert needed == required(table)


def test_format_1_keys_are_a_subset_and_the_new_ones_are_named():
    for old, new in ((loader.HEADER_KEYS, loader.HEADER_KEYS_V2), (loader.METER_KEYS, loader.METER_KEYS_V2),
                     (loader.SCENE_KEYS, loader.SCENE_KEYS_V2), (loader.CHOICE_KEYS, loader.CHOICE_KEYS_V2)):
        assert set(new) - set(old) <= loader.V2_ONLY


def test_an_included_file_is_only_scenes():
    assert set(loader.INCLUDED_KEYS) == {"scenes"}
    assert SCHEMA["else"] == {"required": ["scenes"], "maxProperties": 1}


def test_reserved_names_match():
    assert set(DEFS["name"]["not"]["enum"]) == loader.RESERVED_V2


@pytest.mark.parametrize("name", ["kitchen.yaml", "more.yaml"])
def test_the_schema_accepts_the_format_2_fixtures(name):
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "v2" / name).read_text())
    assert [e.message for e in VALIDATOR.iter_errors(data)] == []


def test_the_schema_refuses_an_include_that_leaves_the_folder():
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "v2" / "kitchen.yaml").read_text())
    data["include"] = ["../other.yaml"]
    assert list(VALIDATOR.iter_errors(data))
