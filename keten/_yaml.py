"""The fastest safe YAML loader available (libyaml when present, else the pure-Python one)."""

from __future__ import annotations

import yaml

YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
