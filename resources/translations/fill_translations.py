"""Fill unfinished translations from a JSON file of {source text: translation}, then recompile.

    python resources/translations/fill_translations.py zh_CN new-strings.json

For when a batch of strings is translated outside Qt Linguist (reviewing the .ts diff is the
check). Strings not in the file stay unfinished, and the translation test reports them.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import update_translations
from update_translations import ts_path


def fill(language: str, translations: dict[str, str]) -> int:
    path = ts_path(language)
    tree = ElementTree.parse(path)
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source")
        target = message.find("translation")
        if target is not None and target.get("type") == "unfinished" and source in translations:
            target.text = translations[source]
            del target.attrib["type"]
            filled += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    update_translations.main()  # lupdate puts the file back in its own format; lrelease
    return filled


if __name__ == "__main__":
    language, source_file = sys.argv[1], Path(sys.argv[2])
    count = fill(language, json.loads(source_file.read_text(encoding="utf-8")))
    print(f"{count} translations filled")
