//! Static files built into the binary: the query editor (YASGUI, vendored
//! from npm by `scripts/vendor-yasgui` into `assets/yasgui/`) and the
//! script and style that set it up for this server (`assets/editor.*`);
//! the graph explorer's library (Cytoscape.js, vendored by
//! `scripts/vendor-cytoscape` into `assets/cytoscape/`) and its own script
//! and style (`assets/explorer.*`, which also writes the SVG export).
//!
//! Each is served under a path that names its version (YASGUI's release,
//! or a hash of our file's bytes), with `Cache-Control: immutable`: a new
//! version is a new path, so browsers may keep a file for a year. Nothing
//! is fetched from elsewhere: the server works offline, and a page never
//! sends its readers' addresses to a CDN.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Shared;

/// The release of YASGUI vendored (checked against `assets/yasgui/VENDORED`).
pub(crate) const YASGUI_VERSION: &str = "4.6.2";

const YASGUI_JS: &[u8] = include_bytes!("../assets/yasgui/yasgui.min.js");
const YASGUI_CSS: &[u8] = include_bytes!("../assets/yasgui/yasgui.min.css");
const YASGUI_LICENSE: &[u8] = include_bytes!("../assets/yasgui/LICENSE");
const EDITOR_JS: &[u8] = include_bytes!("../assets/editor.js");
const EDITOR_CSS: &[u8] = include_bytes!("../assets/editor.css");
const CYTOSCAPE_JS: &[u8] = include_bytes!("../assets/cytoscape/cytoscape.min.js");
const CYTOSCAPE_LICENSE: &[u8] = include_bytes!("../assets/cytoscape/LICENSE.cytoscape");
const EXPLORER_JS: &[u8] = include_bytes!("../assets/explorer.js");
const EXPLORER_CSS: &[u8] = include_bytes!("../assets/explorer.css");

/// The release of Cytoscape.js vendored (checked against `assets/cytoscape/VENDORED`).
pub(crate) const CYTOSCAPE_VERSION: &str = "3.35.0";

/// FNV-1a of `bytes`, at compile time: the version in our files' paths.
const fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut rest = bytes;
    while let [first, tail @ ..] = rest {
        hash ^= *first as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        rest = tail;
    }
    hash
}

/// The version of the editor's own script and style: both files' bytes.
const EDITOR_VERSION: u64 = fnv(EDITOR_JS) ^ fnv(EDITOR_CSS).rotate_left(1);

/// The version of the explorer's own script and style.
const EXPLORER_VERSION: u64 = fnv(EXPLORER_JS) ^ fnv(EXPLORER_CSS).rotate_left(1);

/// The version of the vendored graph library's folder, besides
/// Cytoscape.js's release: the bytes of its file.
const CYTOSCAPE_FILES_VERSION: u64 = fnv(CYTOSCAPE_JS);

/// One static file.
struct Asset {
    /// Its name within its folder.
    name: &'static str,
    media_type: &'static str,
    bytes: &'static [u8],
}

const YASGUI_FILES: &[Asset] = &[
    Asset { name: "yasgui.min.js", media_type: "text/javascript; charset=utf-8", bytes: YASGUI_JS },
    Asset { name: "yasgui.min.css", media_type: "text/css; charset=utf-8", bytes: YASGUI_CSS },
    Asset { name: "LICENSE", media_type: "text/plain; charset=utf-8", bytes: YASGUI_LICENSE },
];

const EDITOR_FILES: &[Asset] = &[
    Asset { name: "editor.js", media_type: "text/javascript; charset=utf-8", bytes: EDITOR_JS },
    Asset { name: "editor.css", media_type: "text/css; charset=utf-8", bytes: EDITOR_CSS },
];

const CYTOSCAPE_FILES: &[Asset] = &[
    Asset { name: "cytoscape.min.js", media_type: "text/javascript; charset=utf-8", bytes: CYTOSCAPE_JS },
    Asset { name: "LICENSE.cytoscape", media_type: "text/plain; charset=utf-8", bytes: CYTOSCAPE_LICENSE },
];

const EXPLORER_FILES: &[Asset] = &[
    Asset { name: "explorer.js", media_type: "text/javascript; charset=utf-8", bytes: EXPLORER_JS },
    Asset { name: "explorer.css", media_type: "text/css; charset=utf-8", bytes: EXPLORER_CSS },
];

/// Browsers may keep a versioned file as long as they like.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The folder of YASGUI's files: `/assets/yasgui/4.6.2`.
pub(crate) fn yasgui_dir() -> String {
    format!("/assets/yasgui/{YASGUI_VERSION}")
}

/// The folder of the editor's own files: `/assets/editor/HASH`.
pub(crate) fn editor_dir() -> String {
    format!("/assets/editor/{EDITOR_VERSION:016x}")
}

/// The folder of the graph explorer's library, Cytoscape.js:
/// `/assets/cytoscape/3.35.0-HASH`.
pub(crate) fn cytoscape_dir() -> String {
    format!("/assets/cytoscape/{}", cytoscape_version())
}

fn cytoscape_version() -> String {
    format!("{CYTOSCAPE_VERSION}-{CYTOSCAPE_FILES_VERSION:016x}")
}

/// The folder of the explorer's own files: `/assets/explorer/HASH`.
pub(crate) fn explorer_dir() -> String {
    format!("/assets/explorer/{EXPLORER_VERSION:016x}")
}

/// The routes of the static files (outside the store's validators: they
/// do not change with the store).
pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/assets/{folder}/{version}/{file}", get(file))
}

async fn file(Path((folder, version, name)): Path<(String, String, String)>) -> Response {
    let files = match folder.as_str() {
        "yasgui" if version == YASGUI_VERSION => YASGUI_FILES,
        "editor" if version == format!("{EDITOR_VERSION:016x}") => EDITOR_FILES,
        "cytoscape" if version == cytoscape_version() => CYTOSCAPE_FILES,
        "explorer" if version == format!("{EXPLORER_VERSION:016x}") => EXPLORER_FILES,
        _ => &[],
    };
    let Some(asset) = files.iter().find(|a| a.name == name) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "no such file\n")
            .into_response();
    };
    let mut response = asset.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.media_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{:016x}\"", fnv(asset.bytes))) {
        headers.insert(header::ETAG, tag);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// `assets/yasgui/VENDORED`, as `key value...` lines.
    fn vendored() -> Vec<Vec<&'static str>> {
        include_str!("../assets/yasgui/VENDORED")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split_whitespace().collect())
            .collect()
    }

    fn value(key: &str) -> &'static str {
        vendored().into_iter().find(|l| l[0] == key).map(|l| l[1]).unwrap()
    }

    #[test]
    fn the_vendored_files_are_the_locked_release() {
        let lock: serde_json::Value = serde_json::from_str(include_str!("../assets/yasgui/package-lock.json")).unwrap();
        let package = value("package");
        let locked = &lock["packages"][format!("node_modules/{package}")];
        assert_eq!(
            locked["version"],
            value("version"),
            "VENDORED is not of the locked version: run scripts/vendor-yasgui"
        );
        assert_eq!(
            locked["integrity"],
            value("integrity"),
            "VENDORED is not of the locked tarball: run scripts/vendor-yasgui"
        );
        assert_eq!(value("version"), YASGUI_VERSION, "assets.rs serves another version than VENDORED names");
        let manifest: serde_json::Value = serde_json::from_str(include_str!("../assets/yasgui/package.json")).unwrap();
        assert_eq!(manifest["dependencies"][package], YASGUI_VERSION, "package.json pins another version");
        let files: Vec<(&str, &str)> =
            vendored().into_iter().filter(|l| l[0] == "file").map(|l| (l[1], l[2])).collect();
        assert_eq!(files.len(), 2);
        for (name, sha) in files {
            let asset = YASGUI_FILES.iter().find(|a| a.name == name).unwrap();
            let digest: String = Sha256::digest(asset.bytes).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(digest, sha, "{name} differs from the file of the release: run scripts/vendor-yasgui");
        }
    }

    /// `assets/cytoscape/VENDORED`, as `key value...` lines.
    fn vendored_cytoscape() -> Vec<Vec<&'static str>> {
        include_str!("../assets/cytoscape/VENDORED")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split_whitespace().collect())
            .collect()
    }

    /// Licences whose code an MIT OR Apache-2.0 binary may include.
    const PERMISSIVE: &[&str] = &["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC"];

    #[test]
    fn the_vendored_graph_library_is_the_locked_release() {
        let lock: serde_json::Value =
            serde_json::from_str(include_str!("../assets/cytoscape/package-lock.json")).unwrap();
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../assets/cytoscape/package.json")).unwrap();
        let lines = vendored_cytoscape();
        let packages: Vec<&Vec<&str>> = lines.iter().filter(|l| l[0] == "package").collect();
        assert_eq!(packages.len(), 1, "VENDORED names cytoscape only");
        for p in packages {
            let (name, version, integrity) = (p[1], p[2], p[3]);
            // What is built into the binary must allow coopgraph's own
            // licence, MIT OR Apache-2.0: no copyleft (cytoscape-svg, GPL-3.0,
            // was replaced by the explorer's own SVG writer for this).
            let license = p.get(4).copied().unwrap_or("");
            assert!(
                PERMISSIVE.contains(&license),
                "{name} is under {license:?}, which an MIT OR Apache-2.0 binary cannot include"
            );
            let locked = &lock["packages"][format!("node_modules/{name}")];
            assert_eq!(
                locked["version"], version,
                "VENDORED is not of the locked {name}: run scripts/vendor-cytoscape"
            );
            assert_eq!(
                locked["integrity"], integrity,
                "VENDORED is not of the locked {name}: run scripts/vendor-cytoscape"
            );
            assert_eq!(manifest["dependencies"][name], version, "package.json pins another {name}");
            if name == "cytoscape" {
                assert_eq!(version, CYTOSCAPE_VERSION, "assets.rs names another release than VENDORED");
            }
        }
        let files: Vec<(&str, &str)> = lines.iter().filter(|l| l[0] == "file").map(|l| (l[1], l[2])).collect();
        assert_eq!(files.len(), CYTOSCAPE_FILES.len());
        for (name, sha) in files {
            let asset = CYTOSCAPE_FILES.iter().find(|a| a.name == name).unwrap();
            let digest: String = Sha256::digest(asset.bytes).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(digest, sha, "{name} differs from the file of the release: run scripts/vendor-cytoscape");
        }
    }

    #[test]
    fn versions_name_the_bytes() {
        assert_ne!(fnv(b"a"), fnv(b"b"));
        assert!(editor_dir().starts_with("/assets/editor/"));
        assert!(explorer_dir().starts_with("/assets/explorer/"));
        assert!(cytoscape_dir().starts_with(&format!("/assets/cytoscape/{CYTOSCAPE_VERSION}-")));
        assert_eq!(yasgui_dir(), format!("/assets/yasgui/{}", value("version")));
    }
}
