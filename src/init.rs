//! `presswerk init DIR`: a ready newsletter site with the default theme.
//!
//! The theme is compiled into the binary, so `init` works wherever the binary does.

use std::fs;
use std::path::Path;

use crate::error::Error;

/// The default theme's files, as shipped in `themes/kontor/` (listed by `build.rs`).
pub(crate) const THEME_FILES: &[(&str, &[u8])] =
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

const SITE_TOML: &str = r#"# presswerk site configuration
title = "Unser Newsletter"
description = "Neuigkeiten aus unserem Netzwerk"
base_url = "https://newsletter.example.org"
language = "de"
theme = "kontor"
timezone = "Europe/Berlin"
authors_section = "autoren"

[feeds]
atom = true
rss = true
limit = 20

[[taxonomies]]
name = "tags"
title = "Schlagwörter"
paginate_by = 10
feed = true

[[taxonomies]]
name = "regions"
title = "Regionen"
key = "region"
paginate_by = 10

# Newsletter editions in content/ausgaben/ (start one with `presswerk new edition 2026-12`),
# each also as e-mail: email.html, email.txt and edition.eml beside its web page.
[editions]
section = "ausgaben"
from = "Unser Newsletter <newsletter@newsletter.example.org>"
unsubscribe_url = "{{ UnsubscribeURL }}"

# Search: the page /suche/ and its index in public/_search/. `enabled = false` turns it off.
[search]
index = ["articles", "authors", "editions"]
exclude_sections = []
# An address that unsubscribes whoever writes to it, for the List-Unsubscribe header.
# unsubscribe_mailto = "mailto:abmelden@newsletter.example.org"

# The navigation in the page header; `link` is an @/ content path (checked like every link),
# a path such as /ueber/ or a URL. The editions archive is added once there is an edition.
[[menu.main]]
name = "Artikel"
link = "@/artikel/_index.md"
weight = 10

[[menu.main]]
name = "Autoren"
link = "@/autoren/_index.md"
weight = 20

# Links in the page footer, before Impressum and Datenschutz:
# [[menu.footer]]
# name = "Über uns"
# link = "@/ueber.md"

# Where readers subscribe: a link (url) or a form action that takes an `email` field.
# [subscribe]
# url = "https://newsletter.example.org/abonnieren/"

# Favicon, web manifest icon and logo in link previews: a file of static/.
# logo = "logo.png"

# The publisher. presswerk makes the Impressum (/impressum/) and the Datenschutz page
# (/datenschutz/) from it and names it in every footer and e-mail; `presswerk check` warns
# about every field still empty.
[publisher]
# The name as registered, without the legal form.
name = ""
# GmbH, GmbH & Co. KG, eG, e. V., …
legal_form = ""
# The postal address.
street = ""
postal_code = ""
city = ""
# Who represents the publisher, e.g. ["Erika Mustermann (Geschäftsführerin)"].
representatives = []
# The commercial register: court and number.
register_court = ""
register_number = ""
# Umsatzsteuer-Identifikationsnummer, if there is one.
vat_id = ""
# Responsible for the content under § 18 Abs. 2 MStV: a name and a postal address.
content_responsible = ""
# How readers reach the publisher.
email = ""
phone = ""
# Whom readers ask about their data: the data protection officer or an address.
privacy_contact = ""
"#;

const STARTER: &[(&str, &str)] = &[
    (
        "content/_index.md",
        "---\ntitle: Unser Newsletter\n---\n\nWillkommen! Hier erscheinen die neuesten Artikel.\n",
    ),
    (
        "content/artikel/_index.md",
        "---\ntitle: Artikel\npaginate_by: 10\n---\n",
    ),
    (
        // The build output, presswerk's standby tree beside it and the build cache are made,
        // not written.
        ".gitignore",
        "/public\n/.public.presswerk.*\n/.presswerk-cache\n",
    ),
    (
        "content/autoren/_index.md",
        "---\ntitle: Autorinnen und Autoren\n---\n",
    ),
    (
        "content/autoren/redaktion.md",
        "---\ntitle: Redaktion\nfirst_name: Erika\nlast_name: Mustermann\ncompany: Musterverbund eG\naddress:\n  street: Hauptstraße 1\n  postal_code: \"50667\"\n  city: Köln\nindustry: Kommunikation\n---\n\nDie Redaktion stellt die Beiträge dieses Newsletters zusammen.\n",
    ),
    (
        "content/artikel/erster-artikel.md",
        "---\ntitle: So schreiben Sie einen Artikel\ndate: 2026-01-15\nauthors: [redaktion]\nregion: Rheinland\ntags: [Anleitung]\n---\n\nJeder Artikel ist eine Markdown-Datei in `content/artikel/`. Oben stehen zwischen zwei\n`---`-Zeilen Titel, Datum, Autorinnen und Schlagworte; darunter folgt der Text.\n\n<!-- more -->\n\n## Vorschau\n\nMit `presswerk build` entsteht die fertige Website im Ordner `public/`.\n",
    ),
];

/// Creates a new site in `dir` (which must be new or empty). Returns the number of files.
pub(crate) fn init(dir: &Path) -> Result<usize, Error> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::NotEmpty(dir.to_path_buf()));
        }
    }
    let files = std::iter::once(("site.toml", SITE_TOML.as_bytes()))
        .chain(STARTER.iter().map(|(p, t)| (*p, t.as_bytes())))
        .chain(THEME_FILES.iter().copied());
    let mut n = 0;
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| Error::write(&path, e))?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the shipped theme is embedded: a new theme file that is not listed
    /// would be missing from sites made by `init`.
    #[test]
    fn embedded_theme_matches_the_theme_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(root.join("themes/kontor"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::source::display_path(root, e.path()))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = THEME_FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
