//! `[publisher]`, `logo` and `[subscribe]` in `site.toml`: who publishes the newsletter (the
//! Impressum and Datenschutz pages and every e-mail's footer are made from it), the logo
//! that becomes the favicon, the web manifest's icon and the publisher's logo in structured
//! data, and where readers subscribe.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// The publisher (`[publisher]`). Every field may be left empty: `check` warns about each
/// required one that is, since a German site must name them (§ 5 DDG, § 18 MStV).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Publisher {
    /// The name as registered, without the legal form: `iTeam Systemhauskooperation`.
    pub name: String,
    /// `GmbH & Co. KG`, `eG`, `e. V.`, …
    pub legal_form: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// Shown only when set (a German publisher usually leaves it out).
    pub country: String,
    /// Who represents the publisher: managing directors, for a GmbH & Co. KG its general
    /// partner and that one's managing directors.
    pub representatives: Vec<String>,
    /// `Amtsgericht Köln`.
    pub register_court: String,
    /// `HRA 12345`.
    pub register_number: String,
    /// Umsatzsteuer-Identifikationsnummer (§ 27a UStG), if the publisher has one.
    pub vat_id: String,
    /// Responsible for the content under § 18 Abs. 2 MStV: a name and a postal address.
    pub content_responsible: String,
    pub email: String,
    pub phone: String,
    /// Whom readers ask about their data: a data protection officer or an address.
    pub privacy_contact: String,
}

/// The fields `check` wants filled in, with the label the warning names them by.
pub(crate) const REQUIRED: &[(&str, &str)] = &[
    ("name", "the publisher's name"),
    ("legal_form", "the legal form"),
    ("street", "the street of the postal address"),
    ("postal_code", "the postal code"),
    ("city", "the city"),
    ("representatives", "who represents the publisher"),
    ("register_court", "the register court"),
    ("register_number", "the register number"),
    (
        "content_responsible",
        "the person responsible for the content (§ 18 MStV)",
    ),
    ("email", "a contact e-mail address"),
    ("privacy_contact", "the privacy contact"),
];

impl Publisher {
    /// Whether the field `key` of [`REQUIRED`] is empty.
    pub(crate) fn is_empty(&self, key: &str) -> bool {
        let text = match key {
            "name" => &self.name,
            "legal_form" => &self.legal_form,
            "street" => &self.street,
            "postal_code" => &self.postal_code,
            "city" => &self.city,
            "representatives" => {
                return self.representatives.iter().all(|r| r.trim().is_empty());
            }
            "register_court" => &self.register_court,
            "register_number" => &self.register_number,
            "content_responsible" => &self.content_responsible,
            "email" => &self.email,
            "privacy_contact" => &self.privacy_contact,
            _ => return false,
        };
        text.trim().is_empty()
    }

    /// `name legal_form`, as the publisher is named in a sentence.
    pub(crate) fn full_name(&self) -> String {
        [self.name.trim(), self.legal_form.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `street, postal_code city`, the postal address on one line (empty parts left out).
    pub(crate) fn address_line(&self) -> String {
        let city = [self.postal_code.trim(), self.city.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [self.street.trim(), &city, self.country.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Where readers subscribe (`[subscribe]`): a page to link to, or a form's `action` that
/// takes an `email` field. The home page shows it as its call to subscribe.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Subscribe {
    /// A link: `https://…`, `mailto:…` or an `@/` page of the site.
    pub url: String,
    /// A form action (POST with an `email` field), e.g. a mailing tool's subscription URL.
    pub action: String,
    /// One sentence above the link or form; the theme has its own when empty.
    pub text: String,
}

/// The logo must be a file of the site's or the theme's `static/` folder. Returns its
/// width and height when it is a PNG (read from its header), for the web manifest and the
/// preview tags.
pub(super) fn validate_logo(
    root: &Path,
    source: &Arc<SourceFile>,
    logo: Option<&str>,
    theme: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<(u32, u32)> {
    let logo = logo?;
    let rel = logo.trim_start_matches('/');
    let bad_path = rel.is_empty() || rel.split('/').any(|c| c == ".." || c.is_empty());
    let site_file = root.join("static").join(rel);
    let theme_file = theme.map(|t| root.join("themes").join(t).join("static").join(rel));
    let found = [Some(site_file), theme_file]
        .into_iter()
        .flatten()
        .find(|p| !bad_path && p.is_file());
    if let Some(file) = found {
        return png_size(&file);
    }
    let span = super::key_span(&source.text, "logo").unwrap_or(0..0);
    diags.push(
        Diagnostic::error("config-logo", format!("logo `{logo}` is no file of static/"))
            .at(source, span, "not found in static/ or the theme's static/")
            .help("put the logo (SVG or PNG) into static/ and name it relative to it, e.g. logo = \"logo.png\""),
    );
    None
}

/// Width and height from a PNG's IHDR chunk (the first 24 bytes), `None` for anything else.
fn png_size(file: &Path) -> Option<(u32, u32)> {
    use std::io::Read;
    let mut head = [0u8; 24];
    std::fs::File::open(file).ok()?.read_exact(&mut head).ok()?;
    if &head[..8] != b"\x89PNG\r\n\x1a\n" || &head[12..16] != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes([head[16], head[17], head[18], head[19]]);
    let height = u32::from_be_bytes([head[20], head[21], head[22], head[23]]);
    Some((width, height))
}

/// A subscribe link or form action may not have a scheme that runs code.
pub(super) fn validate_subscribe(source: &Arc<SourceFile>, s: &Subscribe, diags: &mut Diagnostics) {
    for (key, url) in [("url", &s.url), ("action", &s.action)] {
        if let Some(scheme) = crate::text::scheme::refused(url) {
            let text = source.text.as_str();
            let span = text.find(url.as_str()).map_or(0..0, |i| i..i + url.len());
            diags.push(
                Diagnostic::error(
                    "config-url",
                    format!("subscribe.{key} links to a `{scheme}:` URL"),
                )
                .at(source, span, "this scheme may not become a link")
                .help(crate::text::scheme::HINT),
            );
        }
    }
}
