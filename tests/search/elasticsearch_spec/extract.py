"""Extract from the Elasticsearch API specification (github.com/elastic/elasticsearch-specification,
TypeScript) what ``test_elasticsearch_spec.py`` checks the index bodies against: for every analysis
component (analyzer, tokenizer, token filter, char filter) and every mapping field type, its ``type``
name and the properties it takes (its own and its base classes'), and the stop-word lists.

    python tests/search/elasticsearch_spec/extract.py <git dir of the spec> <branch> > analysis.json

Read from a bare clone (``git show <branch>:<path>``), so the branch matches the client's major.minor
(``elasticsearch`` in requirements.lock). Regenerate when the client moves to a new minor version.
"""

import json
import re
import subprocess
import sys

FOLDERS = {"analysis": "specification/_types/analysis", "mapping": "specification/_types/mapping"}
CLASS = re.compile(r"^export class (\w+)(?:<[^>]*>)?(?: extends (\w+)(?:<[^>]*>)?)?(?: implements [\w, <>]+)? \{\s*$")
FIELD = re.compile(r"^  (\w+)(\?)?: (.+?)\s*$")
ALIASES = re.compile(r"@aliases ([\w, ]+)")
TYPE_LITERALS = re.compile(r"'([^']+)'")
ENUM = re.compile(r"^export enum (\w+) \{")


def git(git_dir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True, text=True).stdout


def classes_and_enums(source: str) -> tuple[dict, dict]:
    classes, enums = {}, {}
    lines = source.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if match := CLASS.match(line):
            name, base = match.groups()
            fields, types, aliases = {}, [], []
            index += 1
            while index < len(lines) and lines[index] != "}":
                body = lines[index]
                if found := ALIASES.search(body):
                    aliases = [alias.strip() for alias in found.group(1).split(",")]
                elif field := FIELD.match(body):
                    field_name, _optional, field_type = field.groups()
                    if field_name == "type":
                        types = TYPE_LITERALS.findall(field_type)
                    else:
                        fields[field_name] = field_type
                        for alias in aliases:
                            fields[alias] = field_type
                    aliases = []
                index += 1
            classes[name] = {"base": base, "fields": fields, "types": types}
        elif match := ENUM.match(line):
            members = []
            index += 1
            while index < len(lines) and lines[index] != "}":
                member = lines[index].strip().rstrip(",")
                if member and not member.startswith(("/", "*", "@")):
                    members.append(member.split("=")[0].strip())
                index += 1
            enums[match.group(1)] = members
        index += 1
    return classes, enums


def properties_of(name: str, classes: dict) -> set[str]:
    found = set()
    while name in classes:
        found |= set(classes[name]["fields"])
        name = classes[name]["base"]
    return found


def union_members(source: str, union: str) -> list[str]:
    """The classes of ``export type <union> = | A | B …`` (comments and blank lines between them)."""
    match = re.search(rf"^export type {union} =\n(.*?)(?=^export |\Z)", source, re.MULTILINE | re.DOTALL)
    return re.findall(r"^\s*\|\s*(\w+)", match.group(1), re.MULTILINE) if match else []


def extract(git_dir: str, branch: str) -> dict:
    commit = git(git_dir, "rev-parse", branch).strip()
    sources, classes, enums = {}, {}, {}
    for folder in FOLDERS.values():
        for path in git(git_dir, "ls-tree", "-r", "--name-only", branch, folder).split():
            if path.endswith(".ts"):
                sources[path] = git(git_dir, "show", f"{branch}:{path}")
                found_classes, found_enums = classes_and_enums(sources[path])
                classes.update(found_classes)
                enums.update(found_enums)
    everything = "\n".join(sources.values())

    def by_type(union: str) -> dict[str, list[str]]:
        kinds = {}
        for member in union_members(everything, union):
            for type_name in classes.get(member, {}).get("types", []):
                kinds[type_name] = sorted(properties_of(member, classes) | kinds.get(type_name, set()))
        return dict(sorted(kinds.items()))

    return {
        "source": {"repository": "https://github.com/elastic/elasticsearch-specification", "branch": branch,
                   "commit": commit, "folders": sorted(FOLDERS.values())},
        "analyzers": by_type("Analyzer"),
        "tokenizers": by_type("TokenizerDefinition"),
        "token_filters": by_type("TokenFilterDefinition"),
        "char_filters": by_type("CharFilterDefinition"),
        "field_types": by_type("Property"),
        "stop_word_lists": enums.get("StopWordLanguage", []),
    }


if __name__ == "__main__":
    json.dump(extract(sys.argv[1], sys.argv[2]), sys.stdout, indent=1, sort_keys=False, ensure_ascii=False)
    sys.stdout.write("\n")
