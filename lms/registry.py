"""The export formats Muster can write, each with its options schema and presets."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from marshmallow import Schema, ValidationError

from lms.rows import RecordRow

# Options the server sets on every export (its address, the next page's link): no profile
# or request may set them.
SERVER_SET = ("base_url", "more")

Writer = Callable[[Iterable[RecordRow], dict], Iterator[bytes]]


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    media_type: str
    extension: str
    options_schema: type[Schema]
    writer: Writer = field(repr=False)
    presets: tuple[dict, ...] = ()

    def preset(self, name: str) -> dict:
        for preset in self.presets:
            if preset["name"] == name:
                return preset
        known = ", ".join(p["name"] for p in self.presets) or "none"
        message = f"Unknown preset {name!r} for {self.name} (known: {known})."
        raise ValidationError({"preset": [message]})

    def options(self, options: dict | None = None, preset: str | None = None) -> dict:
        """Validated options: the preset's, overridden key by key by `options`.

        Raises marshmallow's ValidationError whose messages name the option.
        """
        merged = {**(self.preset(preset)["options"] if preset else {}), **(options or {})}
        return self.options_schema().load(merged)

    def secret_names(self) -> set[str]:
        """The options marked `secret` (an LRS password): stored sealed, never shown back."""
        return {n for n, f in self.options_schema().fields.items() if f.metadata.get("secret")}

    def public_options(self, options: dict) -> dict:
        """The options without secrets, safe to show back."""
        secret = self.secret_names()
        return {k: v for k, v in options.items() if k not in secret}

    def write(
        self,
        records: Iterable[RecordRow],
        options: dict | None = None,
        preset: str | None = None,
        context: dict | None = None,
    ) -> Iterator[bytes]:
        """Stream the records in this format; options are validated first.

        `context` carries what the server adds and no profile may set, after validation:
        open-badges needs `signing_key`, a callable from host agency id to its Ed25519 seed.
        """
        return self.writer(records, {**self.options(options, preset), **(context or {})})

    def describe(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "media_type": self.media_type,
            "extension": self.extension,
            "options_schema": self.options_schema,
            "presets": [dict(p) for p in self.presets],
        }


class Registry:
    def __init__(self):
        self._formats: dict[str, Format] = {}

    def add(self, fmt: Format) -> Format:
        self._formats[fmt.name] = fmt
        return fmt

    def get(self, name: str) -> Format:
        try:
            return self._formats[name]
        except KeyError:
            known = ", ".join(self._formats)
            raise ValidationError(
                {"format": [f"Unknown format {name!r} (known: {known})."]}
            ) from None

    def all(self) -> list[Format]:
        return list(self._formats.values())
