//! What a German publication must say about its publisher (§ 5 DDG, § 18 MStV): a site in
//! German without `[publisher]` has no Impressum and no Datenschutz page, and each required
//! field left empty leaves a gap in them. Warnings (`--deny-warnings` makes them errors):
//! the site builds, but should not go out like this.

use crate::config::{Config, PUBLISHER_REQUIRED, key_span_in};
use crate::diagnostics::{Diagnostic, Diagnostics};

pub(super) fn check(config: &Config, diags: &mut Diagnostics) {
    let source = &config.source;
    let Some(publisher) = &config.publisher else {
        if config.language == "de" {
            diags.push(
                Diagnostic::warning(
                    "publisher-missing",
                    "site.toml has no [publisher]: the site has no Impressum and no Datenschutz page",
                )
                .at(source, 0..0, "a German site must name its publisher")
                .help("add [publisher] with name, legal_form, street, postal_code, city, representatives, register_court, register_number, content_responsible, email and privacy_contact (see the README, \"Publisher\")"),
            );
        }
        return;
    };
    for (key, what) in PUBLISHER_REQUIRED {
        if publisher.is_empty(key) {
            diags.push(
                Diagnostic::warning(
                    "publisher-field",
                    format!("publisher.{key} is empty: the Impressum lacks {what}"),
                )
                .at(source, key_span_in(&source.text, "publisher", key), "empty")
                .help(format!("fill in {key} in [publisher] of site.toml")),
            );
        }
    }
}
