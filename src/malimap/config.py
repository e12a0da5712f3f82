"""Settings in one place: paths, language, boundary vintage, tiles; each overridable from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def project_home(env: dict[str, str] | None = None, start: Path | None = None, cwd: Path | None = None) -> Path:
    """The folder holding data/, geo/ and static/ (a clone of the repository): MALIMAP_HOME when set, else the nearest
    folder above this package that has data/datapackage.json (a checkout, or an editable install), else the working
    directory. An installed package outside a checkout thus runs on a project folder named, never on a guessed path."""
    home = (os.environ if env is None else env).get("MALIMAP_HOME")
    if home:
        return Path(home).expanduser().resolve()
    here = (start or Path(__file__)).resolve()
    for folder in here.parents:
        if (folder / "data" / "datapackage.json").is_file():
            return folder
    return (cwd or Path.cwd()).resolve()


REPO_ROOT = project_home()  # data/, geo/, static/ and app.py live here
LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
VINTAGE = "cod-ab-mli-v02"  # the COD-AB edition whose P-codes the data and the drawn boundaries use


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env) or self.default


SETTINGS = {
    s.name: s
    for s in [
        Setting("data_dir", "MALIMAP_DATA_DIR", str(REPO_ROOT / "data"), "Data package folder the app opens."),
        Setting("geo_dir", "MALIMAP_GEO_DIR", str(REPO_ROOT / "geo"), "Embedded default boundaries and P-code tables."),
        Setting(
            "cache_dir",
            "MALIMAP_CACHE_DIR",
            str(Path.home() / ".cache" / "malimap"),
            "Where imported or downloaded COD-AB boundaries, need layers and validated tables (Parquet) are stored.",
        ),
        Setting(
            "web_dir",
            "MALIMAP_WEB_DIR",
            "",
            "Where the map view's page and geometry files are published for the browser (default: CACHE_DIR/web).",
        ),
        Setting(
            "seeds_dir",
            "MALIMAP_SEEDS_DIR",
            str(REPO_ROOT.parent / "shared" / "seeds"),
            "Seed documents, to check evidence quotes when present.",
        ),
        Setting("default_lang", "MALIMAP_LANG", DEFAULT_LANG, "Interface language when none is chosen."),
        Setting(
            "public",
            "MALIMAP_PUBLIC",
            "",
            "1: public mode, sensitive places coarsened to cercle and sensitive "
            "organisations shown by type only, on every page and in every export (also `streamlit run app.py -- --public`).",
        ),
        Setting(
            "public_level",
            "MALIMAP_PUBLIC_LEVEL",
            "2",
            "Level sensitive places are coarsened to in public mode: 2 cercle, 1 region.",
        ),
        Setting(
            "upload_workers",
            "MALIMAP_UPLOAD_WORKERS",
            "2",
            "Worker processes that read uploads: with 2, one session's large sheet never holds another's small one "
            "(each holds its own copy of the data: lower it for a national dataset on a small machine).",
        ),
        Setting("vintage", "MALIMAP_VINTAGE", VINTAGE, "COD-AB vintage of the P-codes."),
        Setting("hdx_url", "MALIMAP_HDX_URL", "https://data.humdata.org", "HDX CKAN base address for `boundaries fetch`."),
    ]
}


TRUE_WORDS = ("1", "true", "True")  # how a yes is written in a setting or a link


PUBLIC_YES = ("1", "true", "yes", "on", "oui", "vrai")
PUBLIC_NO = ("", "0", "false", "no", "off", "non", "faux")


class SettingError(ValueError):
    """A setting whose value cannot be read safely: nothing is served until it is fixed."""


def public_setting() -> bool:
    """MALIMAP_PUBLIC asks for public mode (sensitive places and organisations withheld). It fails closed: a value that
    is neither a clear yes nor a clear no is an error, never read as "no" (which would serve the sensitive data)."""
    raw = setting("public")
    word = raw.strip().lower()
    if word in PUBLIC_YES:
        return True
    if word in PUBLIC_NO:
        return False
    raise SettingError(
        f"MALIMAP_PUBLIC={raw!r} is neither a yes ({', '.join(PUBLIC_YES)}) nor a no ({', '.join(w for w in PUBLIC_NO if w)}, "
        "or unset): the app will not guess whether sensitive places and organisations may be shown"
    )


def public_secret() -> bytes:
    """The key public mode's opaque ids are made with: MALIMAP_PUBLIC_SECRET, else a random key kept in the cache folder
    (never in the data or the files served to browsers). Without it, hashing candidate names would reveal the ids."""
    given = os.environ.get("MALIMAP_PUBLIC_SECRET", "")
    if given:
        return given.encode()
    path = cache_dir() / "public-secret"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".public-secret-{os.getpid()}")
        tmp.write_text(os.urandom(32).hex())
        tmp.chmod(0o600)
        os.replace(tmp, path)  # replicas sharing the cache folder share the key; the first writer wins
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as exc:  # a read-only cache (replicas mount it so) with no key prepared in it
        raise SettingError(
            f"public mode needs a key for its ids and cannot keep one in {path.parent} ({exc.__class__.__name__}): "
            "set MALIMAP_PUBLIC_SECRET, or run `python -m malimap prepare` with MALIMAP_PUBLIC=1 before the replicas start"
        ) from None


def setting(name: str) -> str:
    return SETTINGS[name].value()


def default_lang() -> str:
    """MALIMAP_LANG when it names a language we speak, else French."""
    lang = setting("default_lang")
    return lang if lang in LANGS else DEFAULT_LANG


def data_dir() -> Path:
    return Path(setting("data_dir"))


def geo_dir() -> Path:
    return Path(setting("geo_dir"))


def cache_dir() -> Path:
    return Path(setting("cache_dir"))


def web_dir() -> Path:
    return Path(setting("web_dir") or cache_dir() / "web")


def static_dir() -> Path:
    """The app's static folder (Leaflet's own copy), served at app/static/ and inlined into exported maps."""
    return REPO_ROOT / "static"


def seeds_dir() -> Path:
    return Path(setting("seeds_dir"))
