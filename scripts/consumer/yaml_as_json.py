"""Prints a YAML file as JSON, read by PyYAML's safe_load: a YAML 1.1 loader, as many SDK generators use.

Whatever YAML 1.1 reads as something JSON has no form for (a timestamp, a date, binary, a set) is printed as a
string naming its type, "<datetime 2026-11-24 10:00:00+00:00>", so that a comparison shows where it is.
"""

import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as source:
    document = yaml.safe_load(source)
json.dump(document, sys.stdout, ensure_ascii=False, default=lambda value: f"<{type(value).__name__} {value}>")
